// A minimal fork-join loop over [0, n) for the elementwise and row kernels.
#pragma once
#include <cstdint>
#include <functional>

namespace archzoo {

void setWorkerCount(int count);
int workerCount();

// Splits [0, n) into contiguous chunks and runs body(begin, end) on up to workerCount()
// threads. Work below `minPerThread` items per thread runs inline on the calling thread.
void parallelFor(int64_t n, int64_t minPerThread, const std::function<void(int64_t, int64_t)>& body);

}  // namespace archzoo

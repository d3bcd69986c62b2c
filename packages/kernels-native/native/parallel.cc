#include "parallel.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace archzoo {

static int gWorkers = 1;

void setWorkerCount(int count) { gWorkers = std::max(1, std::min(count, 64)); }

int workerCount() { return gWorkers; }

void parallelFor(int64_t n, int64_t minPerThread, const std::function<void(int64_t, int64_t)>& body) {
  if (n <= 0) return;
  int64_t threads = std::min<int64_t>(gWorkers, std::max<int64_t>(1, n / std::max<int64_t>(1, minPerThread)));
  if (threads <= 1) {
    body(0, n);
    return;
  }
  // NOTE: threads are spawned per call (tens of microseconds), so callers pass a
  // minPerThread large enough that each chunk runs for far longer than that.
  int64_t chunk = (n + threads - 1) / threads;
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (int64_t t = 1; t < threads; ++t) {
    int64_t begin = t * chunk;
    int64_t end = std::min(n, begin + chunk);
    if (begin < end) pool.emplace_back(body, begin, end);
  }
  body(0, std::min(n, chunk));
  for (auto& thread : pool) thread.join();
}

}  // namespace archzoo

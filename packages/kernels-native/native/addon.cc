// Module entry: exports the kernels plus thread and build information.
#include <node_api.h>

#include <exception>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "gemm.h"
#include "kernels.h"
#include "napi-args.h"
#include "parallel.h"

namespace archzoo {
namespace {

napi_value makeString(napi_env env, const char* text) {
  napi_value value;
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &value);
  return value;
}

napi_value makeInt(napi_env env, int number) {
  napi_value value;
  napi_create_int32(env, number, &value);
  return value;
}

// setThreads(gemmThreads, elementwiseThreads)
napi_value SetThreads(napi_env env, napi_callback_info info) {
  try {
    Args args(env, info);
    setGemmThreads(int(args.integer(0)));
    setWorkerCount(int(args.integer(1)));
  } catch (const std::exception& error) {
    napi_throw_type_error(env, nullptr, error.what());
  }
  return nullptr;
}

napi_value GetThreads(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "gemm", makeInt(env, gemmThreads()));
  napi_set_named_property(env, result, "elementwise", makeInt(env, workerCount()));
  return result;
}

// tuneMalloc(mmapThreshold, trimThreshold): serves blocks up to mmapThreshold bytes from malloc's
// heap instead of fresh mappings, and keeps up to trimThreshold bytes of freed heap, so that
// tensor buffers of a training step reuse memory without page faults. Returns false where the C
// library is not glibc or rejects the values.
napi_value TuneMalloc(napi_env env, napi_callback_info info) {
  bool tuned = false;
  try {
    Args args(env, info);
#ifdef __GLIBC__
    tuned = mallopt(M_MMAP_THRESHOLD, int(args.integer(0))) == 1 && mallopt(M_TRIM_THRESHOLD, int(args.integer(1))) == 1;
#endif
  } catch (const std::exception& error) {
    napi_throw_type_error(env, nullptr, error.what());
    return nullptr;
  }
  napi_value result;
  napi_get_boolean(env, tuned, &result);
  return result;
}

napi_value BuildInfo(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "blas", makeString(env, blasName()));
#ifdef ARCHZOO_AVX2
  napi_set_named_property(env, result, "simd", makeString(env, "avx2"));
#else
  napi_set_named_property(env, result, "simd", makeString(env, "none"));
#endif
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  struct Entry {
    const char* name;
    napi_callback callback;
  };
  const Entry entries[] = {
      {"setThreads", SetThreads},   {"getThreads", GetThreads},     {"buildInfo", BuildInfo},
      {"batchMatMul", BatchMatMul}, {"gemmBuiltin", GemmBuiltin},   {"binary", Binary},
      {"unary", Unary},             {"softmax", Softmax},           {"transpose", Transpose},
      {"reduceInner", ReduceInner}, {"reduceOuter", ReduceOuter},   {"segmentSum", SegmentSum},
      {"gather", Gather},           {"crossEntropy", CrossEntropy}, {"crossEntropyGrad", CrossEntropyGrad},
      {"copyBox", CopyBox},           {"adamw", AdamW},               {"softcap", Softcap},
      {"softcapGrad", SoftcapGrad},   {"tuneMalloc", TuneMalloc},
  };
  for (const Entry& entry : entries) {
    napi_value fn;
    napi_create_function(env, entry.name, NAPI_AUTO_LENGTH, entry.callback, nullptr, &fn);
    napi_set_named_property(env, exports, entry.name, fn);
  }
  return exports;
}

}  // namespace
}  // namespace archzoo

NAPI_MODULE(NODE_GYP_MODULE_NAME, archzoo::Init)

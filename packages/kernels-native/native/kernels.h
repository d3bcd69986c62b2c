// N-API entry points, one per kernel family. Each reads its arguments with Args and
// writes into output arrays that the JavaScript side allocated.
#pragma once
#include <node_api.h>

namespace archzoo {

napi_value BatchMatMul(napi_env env, napi_callback_info info);
napi_value GemmBuiltin(napi_env env, napi_callback_info info);
napi_value Binary(napi_env env, napi_callback_info info);
napi_value Unary(napi_env env, napi_callback_info info);
napi_value Softcap(napi_env env, napi_callback_info info);
napi_value SoftcapGrad(napi_env env, napi_callback_info info);
napi_value Softmax(napi_env env, napi_callback_info info);
napi_value Transpose(napi_env env, napi_callback_info info);
napi_value ReduceInner(napi_env env, napi_callback_info info);
napi_value ReduceOuter(napi_env env, napi_callback_info info);
napi_value SegmentSum(napi_env env, napi_callback_info info);
napi_value Gather(napi_env env, napi_callback_info info);
napi_value CopyBox(napi_env env, napi_callback_info info);
napi_value AdamW(napi_env env, napi_callback_info info);
napi_value CrossEntropy(napi_env env, napi_callback_info info);
napi_value CrossEntropyGrad(napi_env env, napi_callback_info info);

}  // namespace archzoo

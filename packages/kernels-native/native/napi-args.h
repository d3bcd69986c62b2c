// Argument readers for the N-API entry points. Each reader throws a JS TypeError
// (through ArgError) when an argument has the wrong type, so kernels never see bad pointers.
#pragma once
#include <node_api.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace archzoo {

struct ArgError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <typename T>
struct View {
  T* data = nullptr;
  size_t length = 0;
};

struct Args {
  napi_env env;
  size_t count = 0;
  napi_value values[16];

  Args(napi_env e, napi_callback_info info) : env(e) {
    count = 16;
    if (napi_get_cb_info(env, info, &count, values, nullptr, nullptr) != napi_ok) {
      throw ArgError("could not read the call arguments");
    }
  }

  napi_value at(size_t i) const {
    if (i >= count) throw ArgError("missing argument " + std::to_string(i));
    return values[i];
  }

  template <typename T>
  View<T> typed(size_t i, napi_typedarray_type expected, const char* what) const {
    bool isTyped = false;
    napi_is_typedarray(env, at(i), &isTyped);
    if (!isTyped) throw ArgError(std::string("argument ") + std::to_string(i) + " must be a " + what);
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    napi_get_typedarray_info(env, at(i), &type, &length, &data, nullptr, nullptr);
    if (type != expected) {
      throw ArgError(std::string("argument ") + std::to_string(i) + " must be a " + what);
    }
    return View<T>{static_cast<T*>(data), length};
  }

  View<float> f32(size_t i) const { return typed<float>(i, napi_float32_array, "Float32Array"); }
  View<int32_t> i32(size_t i) const { return typed<int32_t>(i, napi_int32_array, "Int32Array"); }
  View<uint8_t> u8(size_t i) const { return typed<uint8_t>(i, napi_uint8_array, "Uint8Array"); }

  bool isNullish(size_t i) const {
    napi_valuetype type;
    napi_typeof(env, at(i), &type);
    return type == napi_null || type == napi_undefined;
  }

  double number(size_t i) const {
    double value = 0;
    if (napi_get_value_double(env, at(i), &value) != napi_ok) {
      throw ArgError(std::string("argument ") + std::to_string(i) + " must be a number");
    }
    return value;
  }

  int64_t integer(size_t i) const { return static_cast<int64_t>(number(i)); }

  bool boolean(size_t i) const {
    bool value = false;
    if (napi_get_value_bool(env, at(i), &value) != napi_ok) {
      throw ArgError(std::string("argument ") + std::to_string(i) + " must be a boolean");
    }
    return value;
  }
};

// Throws ArgError unless `view` contains at least `needed` elements.
template <typename T>
inline void requireLength(const View<T>& view, size_t needed, const char* name) {
  if (view.length < needed) {
    throw ArgError(std::string(name) + " has " + std::to_string(view.length) +
                   " elements, expected at least " + std::to_string(needed));
  }
}

}  // namespace archzoo

namespace archzoo {

// Runs an entry point body and turns any C++ exception into a JS TypeError.
template <typename Body>
napi_value guarded(napi_env env, Body&& body) {
  try {
    return body();
  } catch (const std::exception& error) {
    napi_throw_type_error(env, nullptr, error.what());
    return nullptr;
  }
}

inline napi_value makeNumber(napi_env env, double number) {
  napi_value value;
  napi_create_double(env, number, &value);
  return value;
}

}  // namespace archzoo

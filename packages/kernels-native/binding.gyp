{
  "variables": {
    "archzoo_blas%": "<!(node scripts/detect-build.mjs blas)",
    "archzoo_simd%": "<!(node scripts/detect-build.mjs simd)"
  },
  "targets": [
    {
      "target_name": "archzoo_kernels",
      "sources": [
        "native/addon.cc",
        "native/parallel.cc",
        "native/gemm.cc",
        "native/batch-matmul.cc",
        "native/binary.cc",
        "native/unary.cc",
        "native/softmax.cc",
        "native/transpose.cc",
        "native/reduce.cc",
        "native/segment-sum.cc",
        "native/gather.cc",
        "native/copy-box.cc",
        "native/adamw.cc",
        "native/cross-entropy.cc"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags!": ["-O2", "-fno-exceptions"],
      "cflags_cc!": ["-O2", "-fno-exceptions"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-fno-trapping-math", "-pthread"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["archzoo_blas=='openblas'", {
          "defines": ["ARCHZOO_OPENBLAS=1"],
          "libraries": ["-lopenblas"]
        }],
        ["archzoo_simd=='avx2'", {
          "defines": ["ARCHZOO_AVX2=1"],
          "cflags_cc": ["-mavx2", "-mfma"]
        }]
      ]
    }
  ]
}

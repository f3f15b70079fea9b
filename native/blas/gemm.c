/*
 * tlab_blas: single-precision matrix products for Transfer Lab's WebAssembly backend, on the
 * machine's CBLAS (OpenBLAS, BLIS or MKL), found at run time with dlopen. The addon links to
 * nothing but libc, so it loads everywhere; without an optimised BLAS `open` says why and the
 * engine keeps its own kernels.
 *
 * The operands are Float32Array views on the wasm heap, read and written in place (no copies).
 * Context-aware (NAPI_MODULE_INIT), so every worker thread may load it. The only process-wide
 * state is the opened library (its handle and symbols): written once under a mutex, never
 * changed afterwards, and read only by threads that called `open` first.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };

typedef void (*sgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*sgemv_fn)(int order, int trans, int m, int n, float alpha, const float *a, int lda, const float *x, int inc_x,
                         float beta, float *y, int inc_y);
typedef void (*set_threads_fn)(int);
typedef int (*get_threads_fn)(void);
typedef char *(*get_config_fn)(void);

static struct {
  void *handle;
  sgemm_fn sgemm;
  sgemv_fn sgemv;             /* cblas_sgemv, or NULL */
  set_threads_fn set_threads; /* openblas_set_num_threads, or NULL */
  get_threads_fn get_threads; /* openblas_get_num_threads, or NULL */
  char vendor[16];            /* "OpenBLAS", "BLIS" or "MKL" */
  char config[160];           /* openblas_get_config() or the vendor */
  char path[512];             /* the file the loader found */
} blas;
static pthread_mutex_t blas_lock = PTHREAD_MUTEX_INITIALIZER;

#define CHECK(call)                                                                                \
  do {                                                                                             \
    if ((call) != napi_ok) return NULL;                                                            \
  } while (0)

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

/*
 * Tries one library; on success fills `blas` (caller holds the lock). A CBLAS without a known
 * vendor symbol is refused: Debian's reference libblas.so.3 also exports cblas_sgemm, at about
 * 1 GFLOP/s, far slower than the engine's own kernels.
 */
static int try_library(const char *name, char *why, size_t why_size) {
  void *handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    snprintf(why, why_size, "%s: not found", name);
    return 0;
  }
  sgemm_fn sgemm = (sgemm_fn)dlsym(handle, "cblas_sgemm");
  if (sgemm == NULL) {
    snprintf(why, why_size, "%s: no cblas_sgemm", name);
    dlclose(handle);
    return 0;
  }
  const char *vendor = NULL;
  get_config_fn get_config = (get_config_fn)dlsym(handle, "openblas_get_config");
  if (get_config != NULL) vendor = "OpenBLAS";
  else if (dlsym(handle, "bli_info_get_version_str") != NULL) vendor = "BLIS";
  else if (dlsym(handle, "MKL_Get_Version") != NULL || dlsym(handle, "mkl_get_max_threads") != NULL) vendor = "MKL";
  if (vendor == NULL) {
    snprintf(why, why_size, "%s: the reference BLAS (slow), not OpenBLAS, BLIS or MKL", name);
    dlclose(handle);
    return 0;
  }
  blas.handle = handle;
  blas.sgemm = sgemm;
  blas.sgemv = (sgemv_fn)dlsym(handle, "cblas_sgemv");
  blas.set_threads = (set_threads_fn)dlsym(handle, "openblas_set_num_threads");
  blas.get_threads = (get_threads_fn)dlsym(handle, "openblas_get_num_threads");
  snprintf(blas.vendor, sizeof blas.vendor, "%s", vendor);
  const char *config = get_config != NULL ? get_config() : vendor;
  snprintf(blas.config, sizeof blas.config, "%s", config != NULL ? config : vendor);
  Dl_info info;
  const char *file = dladdr((void *)sgemm, &info) != 0 && info.dli_fname != NULL ? info.dli_fname : name;
  snprintf(blas.path, sizeof blas.path, "%s", file);
  return 1;
}

static napi_value set_string(napi_env env, napi_value object, const char *key, const char *value) {
  napi_value v;
  CHECK(napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, object, key, v));
  return object;
}

/* { vendor, config, path, threads } of the opened library (caller holds the lock). */
static napi_value describe(napi_env env) {
  napi_value out, threads;
  CHECK(napi_create_object(env, &out));
  if (set_string(env, out, "vendor", blas.vendor) == NULL) return NULL;
  if (set_string(env, out, "config", blas.config) == NULL) return NULL;
  if (set_string(env, out, "path", blas.path) == NULL) return NULL;
  CHECK(napi_create_int32(env, blas.get_threads != NULL ? blas.get_threads() : 0, &threads));
  CHECK(napi_set_named_property(env, out, "threads", threads));
  return out;
}

/*
 * open(names: string[]): the library already open, else the first of `names` that loads as an
 * optimised CBLAS. Returns its description, or a string saying why each candidate failed.
 */
static napi_value open_blas(napi_env env, napi_callback_info cb) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  uint32_t count = 0;
  if (argc < 1 || napi_get_array_length(env, argv[0], &count) != napi_ok) return throw_error(env, "open(names: string[])");
  char reasons[1024] = "";
  pthread_mutex_lock(&blas_lock);
  /*
   * OpenBLAS's OpenMP build (Debian's libopenblas0-openmp) keeps idle threads spinning; when
   * another process holds a core, a product then waits on a descheduled spinner: measured
   * 0.5 GFLOP/s for n = 128 where one thread gives 70. libgomp reads this once, when the library
   * loads below; a value the user set is kept. (PyTorch's side of the bench sets the same.)
   */
  if (blas.handle == NULL && getenv("OMP_WAIT_POLICY") == NULL) setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
  for (uint32_t i = 0; blas.handle == NULL && i < count; i++) {
    napi_value item;
    char name[256], why[512];
    size_t length = 0;
    if (napi_get_element(env, argv[0], i, &item) != napi_ok ||
        napi_get_value_string_utf8(env, item, name, sizeof name, &length) != napi_ok) {
      pthread_mutex_unlock(&blas_lock);
      return throw_error(env, "open(names: string[])");
    }
    if (!try_library(name, why, sizeof why)) {
      size_t used = strlen(reasons);
      snprintf(reasons + used, sizeof reasons - used, "%s%s", used > 0 ? "; " : "", why);
    }
  }
  napi_value result;
  if (blas.handle != NULL) result = describe(env);
  else if (napi_create_string_utf8(env, count == 0 ? "no library named" : reasons, NAPI_AUTO_LENGTH, &result) != napi_ok) result = NULL;
  pthread_mutex_unlock(&blas_lock);
  return result;
}

/* setThreads(n): the BLAS's thread count, process-wide (OpenBLAS only); returns the count now in use, 0 if unknown. */
static napi_value set_threads(napi_env env, napi_callback_info cb) {
  size_t argc = 1;
  napi_value argv[1], out;
  int32_t n = 0;
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) return throw_error(env, "setThreads(n >= 1)");
  pthread_mutex_lock(&blas_lock);
  if (blas.set_threads != NULL) blas.set_threads(n);
  int now = blas.get_threads != NULL ? blas.get_threads() : 0;
  pthread_mutex_unlock(&blas_lock);
  CHECK(napi_create_int32(env, now, &out));
  return out;
}

/* A Float32Array argument: its data and length in elements. */
static int float32_array(napi_env env, napi_value value, float **data, int64_t *length) {
  napi_typedarray_type type;
  size_t count = 0;
  void *pointer = NULL;
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  if (napi_get_typedarray_info(env, value, &type, &count, &pointer, NULL, NULL) != napi_ok || type != napi_float32_array) return 0;
  *data = (float *)pointer;
  *length = (int64_t)count;
  return 1;
}

/*
 * sgemm(a, aOffset, b, bOffset, c, cOffset, batch, m, n, k, transA, transB, strideA, strideB):
 * for t < batch, C_t = op(A_t)·op(B_t), row-major, where op transposes when asked; A_t starts at
 * a[aOffset + t·strideA] and is [m, k] ([k, m] when transA), B_t at b[bOffset + t·strideB] is
 * [k, n] ([n, k] when transB), C_t at c[cOffset + t·m·n] is [m, n]. A stride of 0 broadcasts one
 * matrix over the batch. Offsets and strides in elements. Every access is bounds-checked first.
 */
static napi_value sgemm(napi_env env, napi_callback_info cb) {
  size_t argc = 14;
  napi_value argv[14];
  CHECK(napi_get_cb_info(env, cb, &argc, argv, NULL, NULL));
  if (argc != 14) return throw_error(env, "sgemm expects 14 arguments");
  if (blas.handle == NULL) return throw_error(env, "sgemm: open() found no BLAS");
  float *a, *b, *c;
  int64_t length_a, length_b, length_c;
  if (!float32_array(env, argv[0], &a, &length_a) || !float32_array(env, argv[2], &b, &length_b) ||
      !float32_array(env, argv[4], &c, &length_c))
    return throw_error(env, "sgemm: a, b and c must be Float32Arrays");
  int64_t offset_a, offset_b, offset_c, batch, m, n, k, stride_a, stride_b;
  bool trans_a, trans_b;
  if (napi_get_value_int64(env, argv[1], &offset_a) != napi_ok || napi_get_value_int64(env, argv[3], &offset_b) != napi_ok ||
      napi_get_value_int64(env, argv[5], &offset_c) != napi_ok || napi_get_value_int64(env, argv[6], &batch) != napi_ok ||
      napi_get_value_int64(env, argv[7], &m) != napi_ok || napi_get_value_int64(env, argv[8], &n) != napi_ok ||
      napi_get_value_int64(env, argv[9], &k) != napi_ok || napi_get_value_bool(env, argv[10], &trans_a) != napi_ok ||
      napi_get_value_bool(env, argv[11], &trans_b) != napi_ok || napi_get_value_int64(env, argv[12], &stride_a) != napi_ok ||
      napi_get_value_int64(env, argv[13], &stride_b) != napi_ok)
    return throw_error(env, "sgemm: offsets, sizes and strides must be numbers, the transpose flags booleans");
  if (offset_a < 0 || offset_b < 0 || offset_c < 0 || batch < 0 || m < 0 || n < 0 || k < 0 || stride_a < 0 || stride_b < 0 ||
      m > INT_MAX || n > INT_MAX || k > INT_MAX || batch > INT_MAX || m * k > INT32_MAX || k * n > INT32_MAX || m * n > INT32_MAX)
    return throw_error(env, "sgemm: a size, offset or stride is negative or too large");
  if (batch == 0 || m == 0 || n == 0) return NULL;
  int64_t last = batch - 1;
  if (offset_c + batch * m * n > length_c || (k > 0 && (offset_a + last * stride_a + m * k > length_a || offset_b + last * stride_b + k * n > length_b)))
    return throw_error(env, "sgemm: an operand reaches past the end of its array");
  if (k == 0) { /* an empty sum; BLAS would refuse lda = 0 */
    memset(c + offset_c, 0, (size_t)(batch * m * n) * sizeof(float));
    return NULL;
  }
  /*
   * One row or one column: a matrix-vector product. OpenBLAS 0.3.21's sgemm packs the whole
   * matrix first, which for a decoding step's [1, 768]·[768, 50257] LM head reads and writes
   * 150 MB per token; sgemv streams it once. A row of A (or a column of B) is contiguous
   * whether transposed or not, since one of its dimensions is 1.
   */
  if (blas.sgemv != NULL && (m == 1 || n == 1)) {
    for (int64_t t = 0; t < batch; t++) {
      const float *at = a + offset_a + t * stride_a, *bt = b + offset_b + t * stride_b;
      float *ct = c + offset_c + t * m * n;
      if (m == 1) /* c = [1, k]·op(B) */
        blas.sgemv(CBLAS_ROW_MAJOR, trans_b ? CBLAS_NO_TRANS : CBLAS_TRANS, (int)(trans_b ? n : k), (int)(trans_b ? k : n), 1.0f, bt,
                   (int)(trans_b ? k : n), at, 1, 0.0f, ct, 1);
      else /* c = op(A)·[k, 1] */
        blas.sgemv(CBLAS_ROW_MAJOR, trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS, (int)(trans_a ? k : m), (int)(trans_a ? m : k), 1.0f, at,
                   (int)(trans_a ? m : k), bt, 1, 0.0f, ct, 1);
    }
    return NULL;
  }
  int lda = (int)(trans_a ? m : k), ldb = (int)(trans_b ? k : n);
  int ta = trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS, tb = trans_b ? CBLAS_TRANS : CBLAS_NO_TRANS;
  /* A batch against one B, A untransposed and contiguous: one product of batch·m rows. */
  if (batch > 1 && stride_b == 0 && !trans_a && stride_a == m * k && batch * m <= INT_MAX) {
    blas.sgemm(CBLAS_ROW_MAJOR, ta, tb, (int)(batch * m), (int)n, (int)k, 1.0f, a + offset_a, lda, b + offset_b, ldb, 0.0f, c + offset_c, (int)n);
    return NULL;
  }
  for (int64_t t = 0; t < batch; t++) {
    blas.sgemm(CBLAS_ROW_MAJOR, ta, tb, (int)m, (int)n, (int)k, 1.0f, a + offset_a + t * stride_a, lda, b + offset_b + t * stride_b, ldb,
               0.0f, c + offset_c + t * m * n, (int)n);
  }
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"open", NULL, open_blas, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) != napi_ok) return NULL;
  return exports;
}

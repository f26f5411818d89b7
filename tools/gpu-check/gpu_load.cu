// Keeps one GPU busy with FP32 FMA work for a given number of seconds, so that NVML reads utilization near 100%
// and power well above idle. Used by gpu-check.sh to check GpuProbe on a real GPU host; needs only the driver
// (build with -cudart static).
//
//   gpu_load SECONDS [DEVICE]
//
// Runs on CUDA device DEVICE (default 0; gpu-check.sh sets CUDA_DEVICE_ORDER=PCI_BUS_ID so that it is NVML's GPU
// of the same index). Every CUDA call is checked: on failure it prints what failed and why, and exits with status 1.
// A bad argument exits with status 2.

#include <cuda_runtime.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace {

constexpr int kThreadsPerBlock = 256;
constexpr int kChains = 8;                 // independent FMA chains per thread, to keep the FMA pipes full
constexpr double kTargetKernelMs = 50.0;   // short launches: the load stops within ~50 ms of the deadline

void check(cudaError_t err, const char* what) {
    if (err != cudaSuccess) {
        // With no driver library at all, the runtime answers "insufficient driver": say so, or the hint misleads.
        const char* hint = err == cudaErrorInsufficientDriver
                ? " (also the answer when no NVIDIA driver, libcuda.so.1, is installed)" : "";
        std::fprintf(stderr, "gpu_load: %s failed: %s%s (%s, code %d). Check that the NVIDIA driver is installed and a"
                     " GPU is visible: nvidia-smi -L\n", what, cudaGetErrorString(err), hint, cudaGetErrorName(err),
                     static_cast<int>(err));
        std::exit(1);
    }
}

// Each thread runs kChains dependent FMA chains for `iterations` steps. The coefficients come from the host and the
// result is written to memory, so the compiler can neither fold the loop nor drop it.
__global__ void fmaLoad(float* out, long long iterations, float a, float b) {
    const int tid = blockIdx.x * blockDim.x + threadIdx.x;
    float x[kChains];
#pragma unroll
    for (int c = 0; c < kChains; c++) {
        x[c] = tid * 1e-7f + c;
    }
    for (long long i = 0; i < iterations; i++) {
#pragma unroll
        for (int c = 0; c < kChains; c++) {
            x[c] = fmaf(x[c], a, b);
        }
    }
    float sum = 0;
#pragma unroll
    for (int c = 0; c < kChains; c++) {
        sum += x[c];
    }
    out[tid] = sum;
}

double parseSeconds(const char* arg) {
    char* end = nullptr;
    double seconds = std::strtod(arg, &end);
    if (end == arg || *end != '\0' || !(seconds > 0) || seconds > 3600) {
        std::fprintf(stderr, "gpu_load: SECONDS must be a number in (0, 3600], was '%s'\n", arg);
        std::exit(2);
    }
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3 || std::strcmp(argv[1], "--help") == 0) {
        std::fprintf(argc == 2 ? stdout : stderr, "usage: gpu_load SECONDS [DEVICE]\n");
        return argc == 2 ? 0 : 2;
    }
    const double seconds = parseSeconds(argv[1]);
    int device = 0;
    if (argc == 3) {
        char* end = nullptr;
        long d = std::strtol(argv[2], &end, 10);
        if (end == argv[2] || *end != '\0' || d < 0 || d > 1024) {
            std::fprintf(stderr, "gpu_load: DEVICE must be a GPU index (0, 1, ...), was '%s'\n", argv[2]);
            return 2;
        }
        device = static_cast<int>(d);
    }

    int count = 0;
    check(cudaGetDeviceCount(&count), "cudaGetDeviceCount");
    if (device >= count) {
        std::fprintf(stderr, "gpu_load: device %d does not exist; CUDA sees %d GPU(s)\n", device, count);
        return 1;
    }
    check(cudaSetDevice(device), "cudaSetDevice");
    cudaDeviceProp prop;
    check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");

    // Enough blocks to fill every SM to its thread limit.
    const int blocksPerSm = prop.maxThreadsPerMultiProcessor / kThreadsPerBlock;
    const int blocks = prop.multiProcessorCount * (blocksPerSm > 0 ? blocksPerSm : 1);
    const size_t threads = static_cast<size_t>(blocks) * kThreadsPerBlock;
    float* out = nullptr;
    check(cudaMalloc(&out, threads * sizeof(float)), "cudaMalloc");

    // A first short launch times the kernel, so each later launch runs about kTargetKernelMs.
    cudaEvent_t start, stop;
    check(cudaEventCreate(&start), "cudaEventCreate");
    check(cudaEventCreate(&stop), "cudaEventCreate");
    long long iterations = 1 << 16;
    check(cudaEventRecord(start), "cudaEventRecord");
    fmaLoad<<<blocks, kThreadsPerBlock>>>(out, iterations, 0.999999f, 1e-6f);
    check(cudaGetLastError(), "launching fmaLoad");
    check(cudaEventRecord(stop), "cudaEventRecord");
    check(cudaEventSynchronize(stop), "cudaEventSynchronize");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
    if (ms > 0) {
        iterations = static_cast<long long>(iterations * (kTargetKernelMs / ms));
        if (iterations < 1) {
            iterations = 1;
        }
    }
    std::printf("gpu_load: pid %d, device %d %s, %d SMs, %d blocks x %d threads, %lld iterations per launch"
                " (calibration launch %.2f ms), %.1f s\n", static_cast<int>(getpid()), device, prop.name,
                prop.multiProcessorCount, blocks, kThreadsPerBlock, iterations, ms, seconds);
    std::fflush(stdout);

    // Two launches in flight at a time, so the GPU never waits for the host between them.
    const auto begin = std::chrono::steady_clock::now();
    const auto deadline = begin + std::chrono::duration<double>(seconds);
    long launches = 0;
    fmaLoad<<<blocks, kThreadsPerBlock>>>(out, iterations, 0.999999f, 1e-6f);
    check(cudaGetLastError(), "launching fmaLoad");
    launches++;
    while (std::chrono::steady_clock::now() < deadline) {
        check(cudaEventRecord(stop), "cudaEventRecord");
        fmaLoad<<<blocks, kThreadsPerBlock>>>(out, iterations, 0.999999f, 1e-6f);
        check(cudaGetLastError(), "launching fmaLoad");
        launches++;
        check(cudaEventSynchronize(stop), "cudaEventSynchronize");
    }
    check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();

    float first = 0;
    check(cudaMemcpy(&first, out, sizeof(float), cudaMemcpyDeviceToHost), "cudaMemcpy");
    std::printf("gpu_load: done, %ld launches in %.1f s, %.0f GFLOP/s FP32, result[0] = %g\n", launches, elapsed,
                2.0 * kChains * static_cast<double>(iterations) * threads * launches / elapsed / 1e9, first);
    check(cudaFree(out), "cudaFree");
    return 0;
}

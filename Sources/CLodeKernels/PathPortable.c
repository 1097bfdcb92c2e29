// The portable path: baseline SSE2 on x86-64, NEON on aarch64 (4 float lanes).
#define LODE_W 4
#define LODE_SUFFIX portable
#include "KernelBody.h"
#include "WinogradBody.h"
#include "Im2colBody.h"
#include "GemmBody.h"

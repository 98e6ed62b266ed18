//===- Kernels.h - every CPU kernel the generated code calls ----*- C++ -*-===//
#ifndef NFRT_CPU_KERNELS_H
#define NFRT_CPU_KERNELS_H

#include "nfrt/cpu/AttentionKernels.h"
#include "nfrt/cpu/ElementwiseKernels.h"
#include "nfrt/cpu/FusedKernels.h"
#include "nfrt/cpu/LinearKernels.h"
#include "nfrt/cpu/LossKernels.h"
#include "nfrt/cpu/NormKernels.h"
#include "nfrt/cpu/NormScaleKernels.h"
#include "nfrt/cpu/OptimizerKernels.h"

#endif // NFRT_CPU_KERNELS_H

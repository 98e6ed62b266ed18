# -*- Python -*-
# The NormFuse lit suite: nf IR round trips, verifier diagnostics, spec
# errors and imports of every example spec.
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "NORMFUSE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "times", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nf_obj_root, "test", "lit")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%examples", os.path.join(config.nf_src_root, "examples")))
config.substitutions.append(("%nf_src_root", config.nf_src_root))
config.substitutions.append(("%nf_obj_root", config.nf_obj_root))

# Captured variables do not leak across CHECK-LABEL blocks.
config.environment["FILECHECK_OPTS"] = "--enable-var-scope"

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
# The sanitized build (scripts/test-sanitized.sh) sets these; lit 19's own
# list drops ASAN_OPTIONS (a missing comma there).
llvm_config.with_system_environment(["ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"])
llvm_config.use_default_substitutions()

tool_dirs = [config.nf_tools_dir, config.llvm_tools_dir]
tools = ["nf-opt", "nfc", "not", "count", "split-file"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# PyTorch (Debian's python3-torch, run by /usr/bin/python3) is the numerics
# oracle; OpenBLAS is what generated CPU code links. Tests that need them
# say REQUIRES: torch / openblas, and CI installs both.
import subprocess

def _works(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False

if _works(["/usr/bin/python3", "-c", "import torch, numpy"]):
    config.available_features.add("torch")
if os.path.exists("/usr/include/x86_64-linux-gnu/cblas.h") or os.path.exists("/usr/include/cblas.h"):
    config.available_features.add("openblas")
config.substitutions.append(("%torch_python", "/usr/bin/python3"))
config.substitutions.append(("%torch_dir", os.path.join(config.nf_src_root, "test", "torch")))
config.substitutions.append(("%runtime_include", os.path.join(config.nf_src_root, "runtime", "include")))

# OpenMPI for data-parallel CPU training (libopenmpi-dev, openmpi-bin).
import shutil
if shutil.which("mpirun") and os.path.exists(os.path.join(config.nf_obj_root, "runtime", "libnfrt_main_mpi.a")):
    config.available_features.add("mpi")
# As root (CI), mpirun needs these.
config.environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
config.environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"

# The CUDA target: the SIMT harness library (always built) and nvcc (CUDA
# 13 in /usr/local/cuda, found at configure time): tests that compile the
# generated .cu for sm_80/sm_90 say REQUIRES: nvcc. No test needs a GPU.
# The compiler (and, in the sanitized build, its -fsanitize flags) that
# built the runtime libraries those scripts link.
config.environment["CXX"] = (config.host_cxx + " " + config.host_cxx_flags).strip()
# The ASan + UBSan build (build-san): a few slow tests that it would only
# repeat say UNSUPPORTED: sanitized.
if "-fsanitize=" in config.host_cxx_flags:
    config.available_features.add("sanitized")
config.substitutions.append(("%simt_lib", os.path.join(config.nf_obj_root, "runtime", "libnfrt_simt.a")))
# A host with fused multiply-add (x86-64 with FMA3: every AVX2 or AVX-512
# machine): simt-fma.test compiles the SIMT step with contraction, as nvcc
# does by default (--fmad=true).
try:
    if any(" fma " in l + " " for l in open("/proc/cpuinfo") if l.startswith("flags")):
        config.available_features.add("host-fma")
except OSError:
    pass
if config.nvcc and os.path.exists(config.nvcc):
    config.available_features.add("nvcc")
    config.substitutions.append(("%nvcc", config.nvcc))

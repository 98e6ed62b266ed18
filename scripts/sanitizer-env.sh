# Sourced by the sanitized test and fuzz scripts: how the sanitizers report.
#   allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons its slabs in the
#     code we compile (its headers see ASan) but not in Debian's uninstrumented
#     LLVM/MLIR libraries, which then trip on their own memory; only the
#     manual poisoning is ignored, every other ASan check stays on.
#   allocator_may_return_null=1: an impossible allocation returns null, as it
#     does without ASan, so the code's own error path is what gets tested.
#   halt_on_error / print_stacktrace: the first report fails the test, with
#     a stack.
export ASAN_OPTIONS="allow_user_poisoning=0:allocator_may_return_null=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

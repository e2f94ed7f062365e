/*
** libfuzzer.c — makes one harness a libFuzzer target: the Makefile builds
** it once per harness with -DFUZZ_TARGET=fuzz_<name>. Not part of the test
** build (tests/unit/fuzz.c replays the corpora instead).
*/
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return FUZZ_TARGET(data, size);
}

#ifdef FUZZ_MUTATOR
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed)
{
    return FUZZ_MUTATOR(data, size, max, seed, LLVMFuzzerMutate);
}
#endif

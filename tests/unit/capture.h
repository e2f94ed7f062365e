/* capture.h — catch diagnostics in tests (capture.c). */
#ifndef KAOHE_TEST_CAPTURE_H
#define KAOHE_TEST_CAPTURE_H

/* From now on diag prints into memory (and its counters restart). */
void capture(void);
/* Ends the capture; what was printed, malloc'd: the caller frees it. */
char *captured(void);

#endif

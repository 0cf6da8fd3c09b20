/*
 * A PKCS#11 module that crashes: it loads and initialises, then dies with SIGSEGV when asked for
 * its slots. The lab compiles it at test time to show that one bad vendor module takes down only
 * its own worker process, never the host or the other modules.
 */
#include <signal.h>
#include <stddef.h>

typedef unsigned long CK_RV;
#define FUNCTIONS 68

static CK_RV ok_stub(void) { return 0; }
static CK_RV crash(void) {
  raise(SIGSEGV);
  return 0;
}

static struct {
  unsigned char major, minor;
  CK_RV (*fn[FUNCTIONS])(void);
} list;

CK_RV C_GetFunctionList(void **out) {
  list.major = 2;
  list.minor = 40;
  for (int i = 0; i < FUNCTIONS; i++) list.fn[i] = ok_stub;
  list.fn[4] = crash; /* C_GetSlotList */
  *out = &list;
  return 0;
}

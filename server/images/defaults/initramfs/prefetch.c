/*
 * walt-prefetch FILE < PLAN — asks the kernel to read the listed byte ranges of FILE into the page cache, all at
 * once, before a program maps FILE (server/images/defaults/initramfs/prefetch.c, built by initramfs.ts).
 *
 * Why: the walt agent is a ~100 MB Bun-compiled binary run from the NFS image root; at start it faults in ~17 MB
 * scattered over the file, one page at a time, and the kernel reads `read_ahead_kb` around each fault (36 MB on
 * walt-net at 32 KB; each fault a round trip). The server learns which ranges the agent touches (GET/POST
 * /api/node/v1/agent-pages) and the initramfs feeds them here: readahead(2) only starts the reads (NFS READs go
 * out in parallel, docs/netboot.md), so the agent's faults then find the pages cached or already on their way.
 *
 * PLAN (the server's answer): a line `prefetch SIZE`, then one `OFFSET LENGTH` line per range, in bytes. A FILE
 * whose size is not SIZE (another build of the agent) gets nothing read: exit 2. Prints one summary line.
 *
 * No libc: the initramfs has only a static busybox, and a static glibc program would weigh ~800 KB. Built with
 * gcc -static -nostdlib -ffreestanding; the system calls below are the only ones used.
 */
typedef long i64;
typedef unsigned long u64;

#if defined(__x86_64__)
enum { SYS_read = 0, SYS_write = 1, SYS_close = 3, SYS_fstat = 5, SYS_exit = 60, SYS_readahead = 187, SYS_openat = 257 };
enum { STAT_SIZE_OFFSET = 48 };
static i64 sys3(i64 n, i64 a, i64 b, i64 c) {
  i64 r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
}
__asm__(".globl _start\n_start:\n xor %rbp, %rbp\n mov %rsp, %rdi\n and $-16, %rsp\n call walt_main\n hlt\n");
#elif defined(__aarch64__)
enum { SYS_read = 63, SYS_write = 64, SYS_close = 57, SYS_fstat = 80, SYS_exit = 93, SYS_readahead = 213, SYS_openat = 56 };
enum { STAT_SIZE_OFFSET = 48 };
static i64 sys3(i64 n, i64 a, i64 b, i64 c) {
  register i64 x8 __asm__("x8") = n;
  register i64 x0 __asm__("x0") = a;
  register i64 x1 __asm__("x1") = b;
  register i64 x2 __asm__("x2") = c;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
}
__asm__(".globl _start\n_start:\n mov x0, sp\n bl walt_main\n");
#else
#error "walt-prefetch: x86_64 or aarch64 only"
#endif

#define AT_FDCWD (-100)
/* A plan of ~1000 ranges is ~20 KB; anything past this is ignored (the agent then faults those pages in). */
static char plan[1 << 20];
static unsigned char st[256] __attribute__((aligned(16)));

static u64 length(const char *s) {
  u64 n = 0;
  while (s[n]) n++;
  return n;
}

static void say(const char *s) {
  sys3(SYS_write, 1, (i64)s, (i64)length(s));
}

static char *decimal(char *end, u64 v) {
  *--end = 0;
  do *--end = (char)('0' + v % 10); while ((v /= 10) != 0);
  return end;
}

static __attribute__((noreturn)) void leave(int code) {
  sys3(SYS_exit, code, 0, 0);
  for (;;) {}
}

/* Parses an unsigned decimal at *p, skipping spaces before it; answers -1 when there is none. */
static i64 number(char **p, const char *end) {
  char *s = *p;
  while (s < end && *s == ' ') s++;
  if (s >= end || *s < '0' || *s > '9') return -1;
  u64 v = 0;
  while (s < end && *s >= '0' && *s <= '9') {
    if (v > (u64)1 << 58) return -1;
    v = v * 10 + (u64)(*s++ - '0');
  }
  *p = s;
  return (i64)v;
}

static char *next_line(char *s, const char *end) {
  while (s < end && *s != '\n') s++;
  return s < end ? s + 1 : s;
}

void walt_main(i64 *sp) {
  char **argv = (char **)(sp + 1);
  if (sp[0] != 2) {
    say("usage: walt-prefetch FILE < PLAN\n");
    leave(1);
  }
  i64 got = 0, n;
  while (got < (i64)sizeof plan && (n = sys3(SYS_read, 0, (i64)(plan + got), (i64)sizeof plan - got)) > 0) got += n;
  char *p = plan, *end = plan + got;
  static const char verb[] = "prefetch";
  for (u64 i = 0; i < sizeof verb - 1; i++, p++) {
    if (p >= end || *p != verb[i]) {
      say("walt-prefetch: the plan does not start with 'prefetch SIZE'\n");
      leave(1);
    }
  }
  i64 size = number(&p, end);
  i64 fd = sys3(SYS_openat, AT_FDCWD, (i64)argv[1], 0);
  if (size < 0 || fd < 0 || sys3(SYS_fstat, fd, (i64)st, 0) != 0) {
    say("walt-prefetch: bad plan or unreadable file\n");
    leave(1);
  }
  i64 actual = *(i64 *)(st + STAT_SIZE_OFFSET);
  if (actual != size) {
    say("walt-prefetch: the file is not the one the plan was made for\n");
    leave(2);
  }
  u64 ranges = 0, bytes = 0;
  for (p = next_line(p, end); p < end; p = next_line(p, end)) {
    i64 off = number(&p, end), len = number(&p, end);
    if (off < 0 || len <= 0 || off >= size) continue;
    if (len > size - off) len = size - off;
    if (sys3(SYS_readahead, fd, off, len) == 0) ranges++, bytes += (u64)len;
  }
  sys3(SYS_close, fd, 0, 0);
  char a[24], b[24];
  say("walt-prefetch: ");
  say(decimal(a + sizeof a, ranges));
  say(" ranges, ");
  say(decimal(b + sizeof b, bytes));
  say(" bytes\n");
  leave(0);
}

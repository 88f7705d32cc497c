// LD_PRELOAD allocation counter, per thread: proves that a thread (the UDP
// engine's I/O thread, "ikelb-udp") makes no heap allocation per packet.
//
// Every malloc/calloc/realloc/memalign/posix_memalign/aligned_alloc call
// (operator new ends in malloc) is counted against the calling thread. A
// background thread rewrites $MALLOC_COUNT_FILE every 50 ms with one line per
// thread: "<tid> <comm> <allocations>". Test and benchmark code read the line
// of the thread they care about before and after a load run.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

extern void* __libc_malloc(size_t);
extern void* __libc_calloc(size_t, size_t);
extern void* __libc_realloc(void*, size_t);
extern void* __libc_memalign(size_t, size_t);
extern void __libc_free(void*);

#define MAX_THREADS 1024

struct slot {
  _Atomic int tid;
  _Atomic unsigned long long count;
};

static struct slot slots[MAX_THREADS];
static _Atomic int slots_used;
static __thread int my_slot = -1;

static void count_one(void) {
  if (my_slot < 0) {
    int i = atomic_fetch_add(&slots_used, 1);
    if (i >= MAX_THREADS) {
      my_slot = MAX_THREADS - 1;  // overflow threads share the last slot
    } else {
      my_slot = i;
      atomic_store(&slots[i].tid, (int)syscall(SYS_gettid));
    }
  }
  atomic_fetch_add_explicit(&slots[my_slot].count, 1, memory_order_relaxed);
}

void* malloc(size_t n) {
  count_one();
  return __libc_malloc(n);
}
void* calloc(size_t a, size_t b) {
  count_one();
  return __libc_calloc(a, b);
}
void* realloc(void* p, size_t n) {
  count_one();
  return __libc_realloc(p, n);
}
void* memalign(size_t align, size_t n) {
  count_one();
  return __libc_memalign(align, n);
}
void* aligned_alloc(size_t align, size_t n) {
  count_one();
  return __libc_memalign(align, n);
}
int posix_memalign(void** out, size_t align, size_t n) {
  count_one();
  void* p = __libc_memalign(align, n);
  if (p == NULL) return 12;  // ENOMEM
  *out = p;
  return 0;
}
void free(void* p) { __libc_free(p); }

static void dump(const char* path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  int used = atomic_load(&slots_used);
  if (used > MAX_THREADS) used = MAX_THREADS;
  for (int i = 0; i < used; i++) {
    int tid = atomic_load(&slots[i].tid);
    char comm[64] = "?";
    char commPath[64];
    snprintf(commPath, sizeof commPath, "/proc/self/task/%d/comm", tid);
    int cfd = open(commPath, O_RDONLY);
    if (cfd >= 0) {
      ssize_t n = read(cfd, comm, sizeof comm - 1);
      close(cfd);
      if (n > 0) {
        comm[n] = 0;
        char* nl = strchr(comm, '\n');
        if (nl) *nl = 0;
      } else {
        strcpy(comm, "?");
      }
    }
    char line[160];
    int len = snprintf(line, sizeof line, "%d %s %llu\n", tid, comm,
                       (unsigned long long)atomic_load(&slots[i].count));
    if (write(fd, line, (size_t)len) < 0) break;
  }
  close(fd);
  rename(tmp, path);
}

static void* dumper(void* arg) {
  const char* path = (const char*)arg;
  struct timespec period = {0, 50 * 1000 * 1000};
  for (;;) {
    dump(path);
    nanosleep(&period, NULL);
  }
  return NULL;
}

__attribute__((constructor)) static void start_dumper(void) {
  const char* path = getenv("MALLOC_COUNT_FILE");
  if (path == NULL || *path == 0) return;
  static char saved[2048];
  snprintf(saved, sizeof saved, "%s", path);
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_create(&t, &attr, dumper, saved);
  pthread_attr_destroy(&attr);
}

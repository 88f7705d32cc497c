// IKE_SA_INIT load generator for bench/redirect (loopback only).
//
// Closed loop: S sockets (distinct source ports, optionally distinct source
// addresses) each keep W requests in flight. Every request has a fresh SPIi
// and a fresh 32-octet Ni and announces REDIRECT_SUPPORTED (RFC 5685 §4).
// Requests leave with sendmmsg, answers arrive with recvmmsg, and every answer
// is validated: SPIi is one we sent, SPIr is 0, it is an IKE_SA_INIT response,
// and N(REDIRECT) carries exactly that request's Ni. A request unanswered for
// 500 ms is lost (its slot is reused); an answer that still arrives for it is
// counted as late, not invalid. Modes:
//   redirect  expect N(REDIRECT)                         (default)
//   cookie    expect N(COOKIE), retry with it (same SPIi, Ni), then N(REDIRECT)
//   flood     expect N(COOKIE) and never retry (a spoofed-source flood)
// --rate N makes it open loop: N requests/s whatever the answers (latency then
// shows server stalls instead of hiding them in a closed loop); the window
// must cover rate x worst latency or requests wait for a free slot.
// Everything is bounded: --duration-ms and --max-answers stop it. Prints one
// JSON object: sent, answers, invalid, lost, answers/s and latency percentiles
// over the measured window (after --warmup-ms).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define NONCE_LEN 32
#define MAX_COOKIE 64
#define HIST_US 200000  // 1-µs buckets up to 200 ms
#define REQ_MAX 256

enum { MODE_REDIRECT, MODE_COOKIE, MODE_FLOOD };
enum { SLOT_FREE, SLOT_SENT, SLOT_COOKIE_SENT };

struct slot {
  uint64_t spi;
  uint64_t late_spi;  // the SPIi of the request that timed out in this slot last

  uint64_t first_sent_ns;
  uint64_t sent_ns;
  uint8_t nonce[NONCE_LEN];
  uint8_t cookie[MAX_COOKIE];
  uint8_t cookie_len;
  uint8_t state;
};

struct sock {
  int fd;
  struct slot* slots;
  uint32_t* free_list;
  uint32_t free_count;
};

static struct {
  int mode;
  struct sockaddr_storage target;
  socklen_t target_len;
  int family;
  uint64_t duration_ms, warmup_ms, max_answers;
  uint64_t rate;  // requests/s, open loop; 0 = closed loop (as fast as answers come)
  int sockets, window;
  char sources[64];
} opt;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t next_random(void) {  // splitmix64
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t hist[HIST_US + 1];
static uint64_t sent, answers, measured_answers, invalid, lost, late, cookies, retries;
static char first_invalid[160];

static void fail(const char* what) {
  fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void note_invalid(const char* why) {
  invalid++;
  if (first_invalid[0] == 0) snprintf(first_invalid, sizeof first_invalid, "%s", why);
}

// ---- request encoding ------------------------------------------------------

static void put16(uint8_t* p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t* p, uint32_t v) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }
static unsigned get16(const uint8_t* p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t* p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

// SA: one IKE proposal, AES-GCM-16-256 / PRF-HMAC-SHA2-256 / group 31.
static const uint8_t kSa[36] = {0x00, 0x00, 0x00, 0x24, 0x01, 0x01, 0x00, 0x03, 0x03, 0x00, 0x00, 0x0c,
                                0x01, 0x00, 0x00, 0x14, 0x80, 0x0e, 0x01, 0x00, 0x03, 0x00, 0x00, 0x08,
                                0x02, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x08, 0x04, 0x00, 0x00, 0x1f};

static size_t payload(uint8_t* p, uint8_t next, const uint8_t* body, size_t len) {
  p[0] = next;
  p[1] = 0;
  put16(p + 2, (unsigned)(len + 4));
  memcpy(p + 4, body, len);
  return len + 4;
}

// HDR, [N(COOKIE)], SA, KE, Ni, N(REDIRECT_SUPPORTED)
static size_t build_request(uint8_t* out, const struct slot* s, int with_cookie) {
  uint8_t* p = out;
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(s->spi >> (56 - 8 * i));
  memset(p + 8, 0, 8);
  p[16] = with_cookie ? 41 : 33;
  p[17] = 0x20;
  p[18] = 34;    // IKE_SA_INIT
  p[19] = 0x08;  // Initiator
  put32(p + 20, 0);
  size_t at = 28;
  if (with_cookie) {
    uint8_t n[4 + MAX_COOKIE] = {0, 0, 0x40, 0x06};  // COOKIE 16390
    memcpy(n + 4, s->cookie, s->cookie_len);
    at += payload(p + at, 33, n, 4u + s->cookie_len);
  }
  at += payload(p + at, 34, kSa, sizeof kSa);
  uint8_t ke[36] = {0x00, 0x1f, 0x00, 0x00};
  memset(ke + 4, 0x42, 32);
  at += payload(p + at, 40, ke, sizeof ke);
  at += payload(p + at, 41, s->nonce, NONCE_LEN);
  const uint8_t supported[4] = {0, 0, 0x40, 0x16};  // REDIRECT_SUPPORTED 16406
  at += payload(p + at, 0, supported, sizeof supported);
  put32(p + 24, (uint32_t)at);
  return at;
}

// ---- answer validation ----------------------------------------------------

// Returns the notify type found (0 on a malformed answer), with its data.
static unsigned only_notify(const uint8_t* m, size_t len, const uint8_t** data, size_t* data_len) {
  if (len < 28 || get32(m + 24) != len) return 0;
  if (m[17] != 0x20 || m[18] != 34 || m[19] != 0x20 || get32(m + 20) != 0) return 0;
  for (int i = 8; i < 16; i++)
    if (m[i] != 0) return 0;
  if (m[16] != 41) return 0;
  size_t at = 28;
  if (len - at < 8) return 0;
  unsigned plen = get16(m + at + 2);
  if (m[at] != 0 || plen < 8 || at + plen != len) return 0;  // exactly one payload
  if (m[at + 5] != 0) return 0;                              // no SPI
  *data = m + at + 8;
  *data_len = plen - 8;
  return get16(m + at + 6);
}

static int redirect_ok(const uint8_t* d, size_t n, const struct slot* s) {
  if (n < 2) return 0;
  unsigned type = d[0], ilen = d[1];
  if (!((type == 1 && ilen == 4) || (type == 2 && ilen == 16))) return 0;
  if (n != 2 + ilen + NONCE_LEN) return 0;
  return memcmp(d + 2 + ilen, s->nonce, NONCE_LEN) == 0;
}

static void fresh(struct slot* s, uint32_t index) {
  s->spi = (next_random() & ~0xffffull) | index;
  if (s->spi >> 16 == 0) s->spi |= 1ull << 40;  // never an all-zero SPIi
  for (int i = 0; i < NONCE_LEN; i += 8) {
    uint64_t r = next_random();
    memcpy(s->nonce + i, &r, 8);
  }
  s->cookie_len = 0;
}

// ---- main loop ------------------------------------------------------------

static void record(uint64_t latency_ns, uint64_t t, uint64_t warm_until) {
  answers++;
  if (t < warm_until) return;
  measured_answers++;
  uint64_t us = latency_ns / 1000;
  hist[us > HIST_US ? HIST_US : us]++;
}

static double percentile(double q) {
  uint64_t total = 0;
  for (size_t i = 0; i <= HIST_US; i++) total += hist[i];
  if (total == 0) return 0;
  uint64_t rank = (uint64_t)(q * (double)(total - 1)) + 1, seen = 0;
  for (size_t i = 0; i <= HIST_US; i++) {
    seen += hist[i];
    if (seen >= rank) return (double)i + 0.5;
  }
  return HIST_US;
}

static int parse_target(const char* addr, int port) {
  memset(&opt.target, 0, sizeof opt.target);
  struct sockaddr_in* a4 = (struct sockaddr_in*)&opt.target;
  struct sockaddr_in6* a6 = (struct sockaddr_in6*)&opt.target;
  if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    opt.target_len = sizeof *a4;
    opt.family = AF_INET;
    return 1;
  }
  if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)port);
    opt.target_len = sizeof *a6;
    opt.family = AF_INET6;
    return 1;
  }
  return 0;
}

// --sources "127.0.0.1" or "127.3.0.1+512" (512 consecutive IPv4 addresses).
static void source_address(int index, struct sockaddr_storage* out, socklen_t* len) {
  memset(out, 0, sizeof *out);
  if (opt.family == AF_INET6) {
    struct sockaddr_in6* a6 = (struct sockaddr_in6*)out;
    a6->sin6_family = AF_INET6;
    inet_pton(AF_INET6, opt.sources[0] ? opt.sources : "::1", &a6->sin6_addr);
    *len = sizeof *a6;
    return;
  }
  char base[64] = "127.0.0.1";
  int count = 1;
  if (opt.sources[0]) {
    snprintf(base, sizeof base, "%s", opt.sources);
    char* plus = strchr(base, '+');
    if (plus) {
      *plus = 0;
      count = atoi(plus + 1);
      if (count < 1) count = 1;
    }
  }
  struct sockaddr_in* a4 = (struct sockaddr_in*)out;
  a4->sin_family = AF_INET;
  struct in_addr first;
  inet_pton(AF_INET, base, &first);
  a4->sin_addr.s_addr = htonl(ntohl(first.s_addr) + (uint32_t)(index % count));
  *len = sizeof *a4;
}

int main(int argc, char** argv) {
  const char* target = "127.0.0.1";
  int port = 500;
  opt.duration_ms = 3000;
  opt.warmup_ms = 500;
  opt.max_answers = 100000000;
  opt.sockets = 16;
  opt.window = 32;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : "";
    if (!strcmp(a, "--target")) target = v, i++;
    else if (!strcmp(a, "--port")) port = atoi(v), i++;
    else if (!strcmp(a, "--duration-ms")) opt.duration_ms = strtoull(v, 0, 10), i++;
    else if (!strcmp(a, "--warmup-ms")) opt.warmup_ms = strtoull(v, 0, 10), i++;
    else if (!strcmp(a, "--max-answers")) opt.max_answers = strtoull(v, 0, 10), i++;
    else if (!strcmp(a, "--sockets")) opt.sockets = atoi(v), i++;
    else if (!strcmp(a, "--window")) opt.window = atoi(v), i++;
    else if (!strcmp(a, "--sources")) snprintf(opt.sources, sizeof opt.sources, "%s", v), i++;
    else if (!strcmp(a, "--seed")) rng_state ^= strtoull(v, 0, 10), i++;
    else if (!strcmp(a, "--rate")) opt.rate = strtoull(v, 0, 10), i++;
    else if (!strcmp(a, "--mode")) {
      opt.mode = !strcmp(v, "cookie") ? MODE_COOKIE : !strcmp(v, "flood") ? MODE_FLOOD : MODE_REDIRECT;
      i++;
    } else {
      fprintf(stderr, "loadgen: unknown option %s\n", a);
      return 2;
    }
  }
  if (!parse_target(target, port)) {
    fprintf(stderr, "loadgen: bad target %s\n", target);
    return 2;
  }
  if (opt.sockets < 1 || opt.sockets > 4096 || opt.window < 1 || opt.window > 4096 || opt.duration_ms > 600000) {
    fprintf(stderr, "loadgen: sockets 1..4096, window 1..4096, duration at most 600 s\n");
    return 2;
  }
  rng_state ^= now_ns();
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }

  struct sock* socks = calloc((size_t)opt.sockets, sizeof *socks);
  struct pollfd* pfds = calloc((size_t)opt.sockets, sizeof *pfds);
  for (int i = 0; i < opt.sockets; i++) {
    struct sock* s = &socks[i];
    s->fd = socket(opt.family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (s->fd < 0) fail("socket");
    int buf = 4 << 20;
    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
    setsockopt(s->fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf);
    struct sockaddr_storage src;
    socklen_t src_len;
    source_address(i, &src, &src_len);
    if (bind(s->fd, (struct sockaddr*)&src, src_len) != 0) fail("bind");
    if (connect(s->fd, (struct sockaddr*)&opt.target, opt.target_len) != 0) fail("connect");
    s->slots = calloc((size_t)opt.window, sizeof *s->slots);
    s->free_list = calloc((size_t)opt.window, sizeof *s->free_list);
    for (int w = 0; w < opt.window; w++) s->free_list[s->free_count++] = (uint32_t)(opt.window - 1 - w);
    pfds[i].fd = s->fd;
    pfds[i].events = POLLIN;
  }

  static uint8_t tx[BATCH][REQ_MAX], rx[BATCH][2048];
  struct mmsghdr txm[BATCH], rxm[BATCH];
  struct iovec txv[BATCH], rxv[BATCH];
  uint32_t txslot[BATCH];
  memset(txm, 0, sizeof txm);
  memset(rxm, 0, sizeof rxm);
  for (int i = 0; i < BATCH; i++) {
    txv[i].iov_base = tx[i];
    txm[i].msg_hdr.msg_iov = &txv[i];
    txm[i].msg_hdr.msg_iovlen = 1;
    rxv[i].iov_base = rx[i];
    rxv[i].iov_len = sizeof rx[i];
    rxm[i].msg_hdr.msg_iov = &rxv[i];
    rxm[i].msg_hdr.msg_iovlen = 1;
  }

  const uint64_t start = now_ns();
  const uint64_t warm_until = start + opt.warmup_ms * 1000000ull;
  const uint64_t stop_at = start + (opt.warmup_ms + opt.duration_ms) * 1000000ull;
  const uint64_t timeout_ns = 500ull * 1000000ull;
  uint64_t last_sweep = start;
  int stopping = 0;

  for (;;) {
    uint64_t t = now_ns();
    if (!stopping && (t >= stop_at || answers >= opt.max_answers)) stopping = 1;
    int progress = 0;
    for (int i = 0; i < opt.sockets; i++) {
      struct sock* s = &socks[i];
      // Answers.
      int n = recvmmsg(s->fd, rxm, BATCH, MSG_DONTWAIT, NULL);
      if (n > 0) {
        progress = 1;
        uint64_t rt = now_ns();
        for (int k = 0; k < n; k++) {
          const uint8_t* m = rx[k];
          size_t len = rxm[k].msg_len;
          if (len < 8) {
            note_invalid("answer shorter than an SPI");
            continue;
          }
          uint64_t spi = 0;
          for (int b = 0; b < 8; b++) spi = spi << 8 | m[b];
          uint32_t index = (uint32_t)(spi & 0xffff);
          struct slot* sl = index < (uint32_t)opt.window ? &s->slots[index] : NULL;
          if (sl != NULL && sl->late_spi == spi && spi != 0) {
            late++;  // an answer after its request timed out: slow, not wrong
            sl->late_spi = 0;
            continue;
          }
          if (sl == NULL || sl->state == SLOT_FREE || sl->spi != spi) {
            note_invalid("answer for an SPIi we did not send (or already answered)");
            continue;
          }
          const uint8_t* data;
          size_t data_len;
          unsigned type = only_notify(m, len, &data, &data_len);
          if (type == 16390 && opt.mode != MODE_REDIRECT && sl->state == SLOT_SENT && data_len >= 1 && data_len <= MAX_COOKIE) {
            cookies++;
            if (opt.mode == MODE_FLOOD) {
              record(rt - sl->sent_ns, rt, warm_until);
              sl->state = SLOT_FREE;
              s->free_list[s->free_count++] = index;
            } else {
              memcpy(sl->cookie, data, data_len);
              sl->cookie_len = (uint8_t)data_len;
              sl->state = SLOT_COOKIE_SENT;
              size_t qlen = build_request(tx[0], sl, 1);
              if (send(s->fd, tx[0], qlen, 0) == (ssize_t)qlen) {
                sent++;
                retries++;
              }
              sl->sent_ns = rt;
            }
            continue;
          }
          if (type == 16407 && opt.mode != MODE_FLOOD && redirect_ok(data, data_len, sl)) {
            record(rt - sl->first_sent_ns, rt, warm_until);
          } else {
            note_invalid(type == 0 ? "malformed answer" : type == 16407 ? "REDIRECT without the request's nonce" : "unexpected notify");
          }
          sl->state = SLOT_FREE;
          s->free_list[s->free_count++] = index;
        }
      }
      // Refill this socket's window (open loop: only as many as the rate allows by now).
      int budget = BATCH;
      if (opt.rate > 0) {
        uint64_t due = (uint64_t)((double)opt.rate * (double)(now_ns() - start) / 1e9);
        budget = due > sent ? (int)(due - sent < (uint64_t)BATCH ? due - sent : (uint64_t)BATCH) : 0;
      }
      if (!stopping && s->free_count > 0 && budget > 0) {
        int q = 0;
        uint64_t st = now_ns();
        while (s->free_count > 0 && q < budget) {
          uint32_t index = s->free_list[--s->free_count];
          struct slot* sl = &s->slots[index];
          fresh(sl, index);
          sl->state = SLOT_SENT;
          sl->first_sent_ns = sl->sent_ns = st;
          txv[q].iov_len = build_request(tx[q], sl, 0);
          txslot[q] = index;
          q++;
        }
        int done = 0;
        while (done < q) {
          int r = sendmmsg(s->fd, txm + done, (unsigned)(q - done), 0);
          if (r <= 0) break;
          done += r;
        }
        sent += (uint64_t)done;
        for (int k = done; k < q; k++) {  // the kernel refused them: free again
          s->slots[txslot[k]].state = SLOT_FREE;
          s->free_list[s->free_count++] = txslot[k];
        }
        // Open loop: paced sends are no reason to spin (it would starve a
        // server thread sharing this core); answers are.
        if (opt.rate == 0) progress = 1;
      }
    }
    t = now_ns();
    // Requests without an answer for 500 ms are lost; their slots are reused.
    // After the run, in-flight requests get 300 ms to be answered.
    if (t - last_sweep > 50000000ull || stopping) {
      last_sweep = t;
      int inflight = 0;
      for (int i = 0; i < opt.sockets; i++) {
        struct sock* s = &socks[i];
        for (int w = 0; w < opt.window; w++) {
          struct slot* sl = &s->slots[w];
          if (sl->state == SLOT_FREE) continue;
          if (t - sl->sent_ns > timeout_ns) {
            lost++;
            sl->late_spi = sl->spi;
            sl->state = SLOT_FREE;
            s->free_list[s->free_count++] = (uint32_t)w;
            continue;
          }
          inflight++;
        }
      }
      if (stopping && (inflight == 0 || t > stop_at + 300000000ull)) break;
    }
    if (!progress) {
      const struct timespec pause = {0, opt.rate > 0 ? 100000 : 1000000};  // 0.1 ms open loop, 1 ms closed
      ppoll(pfds, (nfds_t)opt.sockets, &pause, NULL);
    }
  }

  double measured_s = (double)opt.duration_ms / 1000.0;
  printf("{\"mode\":\"%s\",\"sockets\":%d,\"window\":%d,\"sent\":%llu,\"answers\":%llu,\"measured_answers\":%llu,"
         "\"invalid\":%llu,\"lost\":%llu,\"late\":%llu,\"cookies\":%llu,\"cookie_retries\":%llu,\"measured_seconds\":%.3f,"
         "\"answers_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"first_invalid\":\"%s\"}\n",
         opt.mode == MODE_COOKIE ? "cookie" : opt.mode == MODE_FLOOD ? "flood" : "redirect", opt.sockets, opt.window,
         (unsigned long long)sent, (unsigned long long)answers, (unsigned long long)measured_answers,
         (unsigned long long)invalid, (unsigned long long)lost, (unsigned long long)late, (unsigned long long)cookies,
         (unsigned long long)retries, measured_s, (double)measured_answers / measured_s, percentile(0.50),
         percentile(0.99), percentile(0.999), first_invalid);
  return 0;
}

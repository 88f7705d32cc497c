// The minimal C redirector of bench/redirect: the limit of this machine.
// recvmmsg a batch, check each IKE_SA_INIT request (header, payload chain with
// bounds checks, Ni 16..256 octets, N(REDIRECT_SUPPORTED) or REDIRECTED_FROM),
// answer HDR(SPIi, 0), N(REDIRECT, target, Ni) (RFC 5685 §5) round-robin over
// the targets, and sendmmsg the batch of answers. No state, no allocation.
//   c-redirector --address 127.0.0.1 --port 5500 --target 192.0.2.11[,192.0.2.12...]
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define MAX_TARGETS 16

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static unsigned get16(const uint8_t* p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t* p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static void put16(uint8_t* p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t* p, uint32_t v) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }

struct target {
  uint8_t type, len, addr[16];
};

// Writes the answer into out, returns its length, or 0 to ignore the datagram.
static size_t answer(const uint8_t* m, size_t len, const struct target* t, uint8_t* out) {
  if (len < 28 || get32(m + 24) != len || (m[17] >> 4) != 2) return 0;
  if (m[18] != 34 || (m[19] & 0x28) != 0x08 || get32(m + 20) != 0) return 0;
  for (int i = 8; i < 16; i++)
    if (m[i] != 0) return 0;
  const uint8_t* nonce = NULL;
  size_t nonce_len = 0;
  int supported = 0;
  unsigned next = m[16];
  size_t at = 28;
  while (next != 0) {
    if (len - at < 4) return 0;
    unsigned plen = get16(m + at + 2);
    if (plen < 4 || plen > len - at) return 0;
    if (next == 40) {
      nonce = m + at + 4;
      nonce_len = plen - 4;
      if (nonce_len < 16 || nonce_len > 256) return 0;
    } else if (next == 41 && plen >= 8) {
      unsigned type = get16(m + at + 6);
      if (type == 16406 || type == 16408) supported = 1;
    }
    next = m[at];
    at += plen;
  }
  if (at != len || nonce == NULL || !supported) return 0;
  memcpy(out, m, 8);
  memset(out + 8, 0, 8);
  out[16] = 41;
  out[17] = 0x20;
  out[18] = 34;
  out[19] = 0x20;
  put32(out + 20, 0);
  size_t total = 28 + 8 + 2 + t->len + nonce_len;
  put32(out + 24, (uint32_t)total);
  out[28] = 0;
  out[29] = 0;
  put16(out + 30, (unsigned)(total - 28));
  out[32] = 0;
  out[33] = 0;
  put16(out + 34, 16407);
  out[36] = t->type;
  out[37] = t->len;
  memcpy(out + 38, t->addr, t->len);
  memcpy(out + 38 + t->len, nonce, nonce_len);
  return total;
}

int main(int argc, char** argv) {
  const char* address = "127.0.0.1";
  int port = 500;
  struct target targets[MAX_TARGETS];
  int ntargets = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--address")) address = argv[i + 1];
    else if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--target")) {
      char list[512];
      snprintf(list, sizeof list, "%s", argv[i + 1]);
      for (char* tok = strtok(list, ","); tok && ntargets < MAX_TARGETS; tok = strtok(NULL, ",")) {
        struct target* t = &targets[ntargets];
        if (inet_pton(AF_INET, tok, t->addr) == 1) t->type = 1, t->len = 4, ntargets++;
        else if (inet_pton(AF_INET6, tok, t->addr) == 1) t->type = 2, t->len = 16, ntargets++;
      }
    }
  }
  if (ntargets == 0) {
    fprintf(stderr, "c-redirector: --target ADDRESS[,ADDRESS...] is required\n");
    return 2;
  }
  struct sockaddr_storage sa;
  memset(&sa, 0, sizeof sa);
  socklen_t sa_len;
  int family;
  if (inet_pton(AF_INET, address, &((struct sockaddr_in*)&sa)->sin_addr) == 1) {
    family = AF_INET;
    ((struct sockaddr_in*)&sa)->sin_family = AF_INET;
    ((struct sockaddr_in*)&sa)->sin_port = htons((uint16_t)port);
    sa_len = sizeof(struct sockaddr_in);
  } else if (inet_pton(AF_INET6, address, &((struct sockaddr_in6*)&sa)->sin6_addr) == 1) {
    family = AF_INET6;
    ((struct sockaddr_in6*)&sa)->sin6_family = AF_INET6;
    ((struct sockaddr_in6*)&sa)->sin6_port = htons((uint16_t)port);
    sa_len = sizeof(struct sockaddr_in6);
  } else {
    fprintf(stderr, "c-redirector: bad address %s\n", address);
    return 2;
  }
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int buf = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf);
  if (fd < 0 || bind(fd, (struct sockaddr*)&sa, sa_len) != 0) {
    fprintf(stderr, "c-redirector: cannot bind %s:%d: %s\n", address, port, strerror(errno));
    return 1;
  }
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);

  static uint8_t rx[BATCH][65536], tx[BATCH][512];
  static struct sockaddr_storage names[BATCH];
  struct mmsghdr rxm[BATCH], txm[BATCH];
  struct iovec rxv[BATCH], txv[BATCH];
  memset(rxm, 0, sizeof rxm);
  memset(txm, 0, sizeof txm);
  for (int i = 0; i < BATCH; i++) {
    rxv[i].iov_base = rx[i];
    rxv[i].iov_len = sizeof rx[i];
    rxm[i].msg_hdr.msg_iov = &rxv[i];
    rxm[i].msg_hdr.msg_iovlen = 1;
    rxm[i].msg_hdr.msg_name = &names[i];
    txv[i].iov_base = tx[i];
    txm[i].msg_hdr.msg_iov = &txv[i];
    txm[i].msg_hdr.msg_iovlen = 1;
  }
  printf("ready %s %d\n", address, port);
  fflush(stdout);
  unsigned long long answered = 0;
  int rr = 0;
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  while (!stop) {
    for (int i = 0; i < BATCH; i++) rxm[i].msg_hdr.msg_namelen = sizeof names[i];
    int n = recvmmsg(fd, rxm, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) {
      poll(&pfd, 1, 200);
      continue;
    }
    int q = 0;
    for (int i = 0; i < n; i++) {
      size_t len = answer(rx[i], rxm[i].msg_len, &targets[rr], tx[q]);
      if (len == 0) continue;
      rr = (rr + 1) % ntargets;
      txv[q].iov_len = len;
      txm[q].msg_hdr.msg_name = &names[i];
      txm[q].msg_hdr.msg_namelen = rxm[i].msg_hdr.msg_namelen;
      q++;
    }
    int done = 0;
    while (done < q) {
      int r = sendmmsg(fd, txm + done, (unsigned)(q - done), MSG_DONTWAIT);
      if (r <= 0) {
        done++;  // dropped
        continue;
      }
      done += r;
      answered += (unsigned long long)r;
    }
  }
  fprintf(stderr, "c-redirector: answered %llu\n", answered);
  return 0;
}

// IKEv2 handshake load generator for bench/handshake (namespaces/loopback only).
//
// Closed loop: W handshakes in flight over one UDP socket. Each runs
//   IKE_SA_INIT (SA: AES-GCM-16-256 / PRF-HMAC-SHA2-256 / Curve25519, KE, Ni)
//   IKE_AUTH    (SK{IDi, AUTH(PSK), SA(ESP AES-GCM-16-256), TSi, TSr})
// exactly as RFC 7296 §1.2 lays them out, and validates every answer: SPIs,
// message IDs, the responder's KE, the SK payload's ICV (AES-GCM, RFC 5282)
// and the responder's PSK AUTH (RFC 7296 §2.15). A handshake counts only when
// the responder authenticated itself and returned a CHILD SA.
//
// Why it is not the bottleneck: the generator reuses ONE X25519 key pair for
// every handshake (allowed for an initiator, RFC 7296 §2.12, and harmless for
// a benchmark), so it does one scalar multiplication per handshake where the
// responder does two (its fresh key pair and g^ir); it also never sleeps or
// allocates per packet. The same binary drives every contestant.
//
// Bounded: --duration-ms, --count (stop after N established), --max-ms.
// Prints one JSON object.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NONCE_LEN 32
#define MAX_MSG 2048
#define BATCH 64
#define HIST_MS 10000

enum { FREE = 0, INIT_SENT, AUTH_SENT };

struct slot {
  uint8_t state;
  uint8_t tries;
  uint8_t spi_i[8], spi_r[8];
  uint8_t ni[NONCE_LEN];
  uint8_t init_req[320];
  size_t init_req_len;
  uint8_t sk_ei[36], sk_er[36], sk_pi[32], sk_pr[32];
  uint8_t auth_req[512];
  size_t auth_req_len;
  uint8_t init_resp_nr[256];
  size_t nr_len;
  uint8_t real_msg2[1024];
  size_t real_msg2_len;
  uint64_t started_ns, sent_ns;
};

static struct {
  struct sockaddr_in target;
  struct sockaddr_in source;
  const char* psk;
  const char* id;
  uint32_t window;
  uint64_t duration_ms, warmup_ms, count, max_ms;
  uint64_t timeout_ms;
} cfg = {.psk = "s3cret-psk", .id = "bench.example.com", .window = 64, .duration_ms = 5000, .warmup_ms = 1000, .count = 0, .max_ms = 600000, .timeout_ms = 2000};

static struct slot* slots;
static int fd;
static EVP_PKEY* dh_key;
static uint8_t dh_pub[32];
static uint8_t psk_pad[32];  // prf(PSK, "Key Pad for IKEv2")
static uint64_t established, failed, lost, retransmits, invalid, measured, hist[HIST_MS + 1];
static uint64_t esp_spi = 0x1000;
static EVP_CIPHER_CTX* gcm;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char* what) {
  fprintf(stderr, "ikegen: %s\n", what);
  exit(2);
}

static void hmac256(const uint8_t* key, size_t klen, const uint8_t* data, size_t dlen, uint8_t out[32]) {
  unsigned int n = 32;
  if (HMAC(EVP_sha256(), key, (int)klen, data, dlen, out, &n) == NULL) die("HMAC");
}

// prf+ (RFC 7296 §2.13) with HMAC-SHA2-256.
static void prf_plus(const uint8_t* key, size_t klen, const uint8_t* seed, size_t slen, uint8_t* out, size_t olen) {
  uint8_t t[32], buf[32 + 512 + 1];
  size_t tlen = 0, done = 0;
  for (uint8_t i = 1; done < olen; i++) {
    memcpy(buf, t, tlen);
    memcpy(buf + tlen, seed, slen);
    buf[tlen + slen] = i;
    hmac256(key, klen, buf, tlen + slen + 1, t);
    tlen = 32;
    size_t n = olen - done < 32 ? olen - done : 32;
    memcpy(out + done, t, n);
    done += n;
  }
}

static void put16(uint8_t* p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static void put32(uint8_t* p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static uint16_t get16(const uint8_t* p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t* p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static void header(uint8_t* m, const uint8_t* spi_i, const uint8_t* spi_r, uint8_t next, uint8_t exch, uint32_t msgid, uint32_t len) {
  memcpy(m, spi_i, 8);
  if (spi_r) memcpy(m + 8, spi_r, 8); else memset(m + 8, 0, 8);
  m[16] = next; m[17] = 0x20; m[18] = exch; m[19] = 0x08;
  put32(m + 20, msgid);
  put32(m + 24, len);
}

static size_t build_init(struct slot* s) {
  uint8_t* m = s->init_req;
  size_t o = 28;
  // SA: one IKE proposal, ENCR_AES_GCM_16/256, PRF_HMAC_SHA2_256, DH 31.
  m[o] = 34; m[o + 1] = 0; put16(m + o + 2, 40); o += 4;
  m[o] = 0; m[o + 1] = 0; put16(m + o + 2, 36); m[o + 4] = 1; m[o + 5] = 1; m[o + 6] = 0; m[o + 7] = 3; o += 8;
  m[o] = 3; m[o + 1] = 0; put16(m + o + 2, 12); m[o + 4] = 1; m[o + 5] = 0; put16(m + o + 6, 20); put16(m + o + 8, 0x800e); put16(m + o + 10, 256); o += 12;
  m[o] = 3; m[o + 1] = 0; put16(m + o + 2, 8); m[o + 4] = 2; m[o + 5] = 0; put16(m + o + 6, 5); o += 8;
  m[o] = 0; m[o + 1] = 0; put16(m + o + 2, 8); m[o + 4] = 4; m[o + 5] = 0; put16(m + o + 6, 31); o += 8;
  // KE (group 31), Ni, and NAT detection (RFC 7296 §2.23), so responders that need
  // UDP encapsulation (strongSwan's kernel-libipsec) can negotiate it.
  m[o] = 40; m[o + 1] = 0; put16(m + o + 2, 40); put16(m + o + 4, 31); put16(m + o + 6, 0); memcpy(m + o + 8, dh_pub, 32); o += 40;
  m[o] = 41; m[o + 1] = 0; put16(m + o + 2, 4 + NONCE_LEN); memcpy(m + o + 4, s->ni, NONCE_LEN); o += 4 + NONCE_LEN;
  for (int d = 0; d < 2; d++) {
    uint8_t in[8 + 8 + 4 + 2];
    const struct sockaddr_in* a = d == 0 ? &cfg.source : &cfg.target;
    memcpy(in, s->spi_i, 8); memset(in + 8, 0, 8); memcpy(in + 16, &a->sin_addr, 4); memcpy(in + 20, &a->sin_port, 2);
    m[o] = d == 0 ? 41 : 0; m[o + 1] = 0; put16(m + o + 2, 8 + 20); m[o + 4] = 0; m[o + 5] = 0; put16(m + o + 6, d == 0 ? 16388 : 16389);
    SHA1(in, sizeof in, m + o + 8);
    o += 28;
  }
  header(m, s->spi_i, NULL, 33, 34, 0, (uint32_t)o);
  return o;
}

static void send_msg(const uint8_t* m, size_t len) {
  if (sendto(fd, m, len, 0, (const struct sockaddr*)&cfg.target, sizeof cfg.target) < 0 && errno != EAGAIN && errno != ENOBUFS) die("sendto");
}

static void start(struct slot* s, uint64_t now) {
  uint32_t index = (uint32_t)(s - slots);
  RAND_bytes(s->spi_i, 4);
  put32(s->spi_i + 4, index);  // the slot is found from the SPI
  RAND_bytes(s->ni, NONCE_LEN);
  s->init_req_len = build_init(s);
  s->state = INIT_SENT;
  s->tries = 0;
  s->started_ns = s->sent_ns = now;
  send_msg(s->init_req, s->init_req_len);
}

static int gcm_seal(const uint8_t key[36], const uint8_t iv[8], const uint8_t* aad, size_t alen, uint8_t* buf, size_t len, uint8_t tag[16]) {
  uint8_t nonce[12];
  int n;
  memcpy(nonce, key + 32, 4); memcpy(nonce + 4, iv, 8);
  if (!EVP_EncryptInit_ex(gcm, EVP_aes_256_gcm(), NULL, NULL, NULL) || !EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) ||
      !EVP_EncryptInit_ex(gcm, NULL, NULL, key, nonce) || !EVP_EncryptUpdate(gcm, NULL, &n, aad, (int)alen) ||
      !EVP_EncryptUpdate(gcm, buf, &n, buf, (int)len) || !EVP_EncryptFinal_ex(gcm, buf + n, &n) ||
      !EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_GET_TAG, 16, tag))
    return 0;
  return 1;
}

static int gcm_open(const uint8_t key[36], const uint8_t iv[8], const uint8_t* aad, size_t alen, uint8_t* buf, size_t len, const uint8_t tag[16]) {
  uint8_t nonce[12];
  int n;
  memcpy(nonce, key + 32, 4); memcpy(nonce + 4, iv, 8);
  if (!EVP_DecryptInit_ex(gcm, EVP_aes_256_gcm(), NULL, NULL, NULL) || !EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) ||
      !EVP_DecryptInit_ex(gcm, NULL, NULL, key, nonce) || !EVP_DecryptUpdate(gcm, NULL, &n, aad, (int)alen) ||
      !EVP_DecryptUpdate(gcm, buf, &n, buf, (int)len) || !EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_SET_TAG, 16, (void*)tag) ||
      EVP_DecryptFinal_ex(gcm, buf + n, &n) <= 0)
    return 0;
  return 1;
}

// PSK AUTH over RealMessage | Nonce | prf(SK_p, IDbody) (RFC 7296 §2.15).
static void psk_auth(const uint8_t* real, size_t rlen, const uint8_t* nonce, size_t nlen, const uint8_t skp[32], const uint8_t* idbody, size_t idlen, uint8_t out[32]) {
  static uint8_t octets[MAX_MSG + 256 + 32];
  uint8_t maced[32];
  hmac256(skp, 32, idbody, idlen, maced);
  memcpy(octets, real, rlen);
  memcpy(octets + rlen, nonce, nlen);
  memcpy(octets + rlen + nlen, maced, 32);
  hmac256(psk_pad, 32, octets, rlen + nlen + 32, out);
}

static void fail(struct slot* s, int invalid_answer) {
  if (invalid_answer) invalid++; else failed++;
  s->state = FREE;
}

static void on_init_response(struct slot* s, const uint8_t* m, size_t len) {
  const uint8_t* ke = NULL;
  const uint8_t* nr = NULL;
  size_t nr_len = 0;
  uint8_t next = m[16];
  size_t o = 28;
  while (next != 0) {
    if (o + 4 > len) return fail(s, 1);
    uint16_t plen = get16(m + o + 2);
    if (plen < 4 || o + plen > len) return fail(s, 1);
    if (next == 34 && plen == 40 && get16(m + o + 4) == 31) ke = m + o + 8;
    if (next == 40) { nr = m + o + 4; nr_len = plen - 4u; }
    if (next == 41 && plen >= 8 && get16(m + o + 6) < 16384) return fail(s, 0);  // an error notify
    next = m[o];
    o += plen;
  }
  if (ke == NULL || nr == NULL || nr_len < 16 || nr_len > 256) return fail(s, 1);
  memcpy(s->spi_r, m + 8, 8);
  memcpy(s->init_resp_nr, nr, nr_len);
  s->nr_len = nr_len;
  if (len > sizeof s->real_msg2) return fail(s, 1);
  memcpy(s->real_msg2, m, len);
  s->real_msg2_len = len;
  // g^ir, SKEYSEED = prf(Ni | Nr, g^ir), keys = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) (§2.14).
  uint8_t shared[32], keyseed[32], nonces[NONCE_LEN + 256], seed[NONCE_LEN + 256 + 16], keymat[32 + 36 + 36 + 32 + 32];
  size_t slen = 32;
  EVP_PKEY* peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, ke, 32);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(dh_key, NULL);
  int ok = peer && ctx && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_derive_set_peer(ctx, peer) > 0 && EVP_PKEY_derive(ctx, shared, &slen) > 0;
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(peer);
  if (!ok) return fail(s, 1);
  memcpy(nonces, s->ni, NONCE_LEN); memcpy(nonces + NONCE_LEN, nr, nr_len);
  hmac256(nonces, NONCE_LEN + nr_len, shared, 32, keyseed);
  memcpy(seed, nonces, NONCE_LEN + nr_len); memcpy(seed + NONCE_LEN + nr_len, s->spi_i, 8); memcpy(seed + NONCE_LEN + nr_len + 8, s->spi_r, 8);
  prf_plus(keyseed, 32, seed, NONCE_LEN + nr_len + 16, keymat, sizeof keymat);
  // SK_d(32) SK_ai(0) SK_ar(0) SK_ei(36) SK_er(36) SK_pi(32) SK_pr(32)
  memcpy(s->sk_ei, keymat + 32, 36); memcpy(s->sk_er, keymat + 68, 36);
  memcpy(s->sk_pi, keymat + 104, 32); memcpy(s->sk_pr, keymat + 136, 32);

  // IKE_AUTH: SK{IDi, AUTH, SA, TSi, TSr}.
  uint8_t inner[256];
  size_t idlen = strlen(cfg.id), i = 0;
  uint8_t* idbody = inner + 4;
  inner[i] = 39; inner[i + 1] = 0; put16(inner + i + 2, (uint16_t)(8 + idlen)); inner[i + 4] = 2; memset(inner + i + 5, 0, 3); memcpy(inner + i + 8, cfg.id, idlen); i += 8 + idlen;
  inner[i] = 33; inner[i + 1] = 0; put16(inner + i + 2, 8 + 32); inner[i + 4] = 2; memset(inner + i + 5, 0, 3);
  psk_auth(s->init_req, s->init_req_len, nr, nr_len, s->sk_pi, idbody, 4 + idlen, inner + i + 8);
  i += 40;
  inner[i] = 44; inner[i + 1] = 0; put16(inner + i + 2, 36); i += 4;
  inner[i] = 0; inner[i + 1] = 0; put16(inner + i + 2, 32); inner[i + 4] = 1; inner[i + 5] = 3; inner[i + 6] = 4; inner[i + 7] = 2; put32(inner + i + 8, (uint32_t)++esp_spi); i += 12;
  inner[i] = 3; inner[i + 1] = 0; put16(inner + i + 2, 12); inner[i + 4] = 1; inner[i + 5] = 0; put16(inner + i + 6, 20); put16(inner + i + 8, 0x800e); put16(inner + i + 10, 256); i += 12;
  inner[i] = 0; inner[i + 1] = 0; put16(inner + i + 2, 8); inner[i + 4] = 5; inner[i + 5] = 0; put16(inner + i + 6, 0); i += 8;
  for (int ts = 0; ts < 2; ts++) {
    inner[i] = ts == 0 ? 45 : 0; inner[i + 1] = 0; put16(inner + i + 2, 24); inner[i + 4] = 1; memset(inner + i + 5, 0, 3); i += 8;
    inner[i] = 7; inner[i + 1] = 0; put16(inner + i + 2, 16); put16(inner + i + 4, 0); put16(inner + i + 6, 65535); memset(inner + i + 8, 0, 4); memset(inner + i + 12, 0xff, 4); i += 16;
  }
  inner[i++] = 0;  // Pad Length (AES-GCM needs no padding)
  uint8_t* m2 = s->auth_req;
  size_t sk_len = 4 + 8 + i + 16, total = 28 + sk_len;
  header(m2, s->spi_i, s->spi_r, 46, 35, 1, (uint32_t)total);
  m2[28] = 35; m2[29] = 0; put16(m2 + 30, (uint16_t)sk_len);
  uint8_t iv[8] = {0, 0, 0, 0, 0, 0, 0, 1};
  memcpy(m2 + 32, iv, 8);
  memcpy(m2 + 40, inner, i);
  if (!gcm_seal(s->sk_ei, iv, m2, 32, m2 + 40, i, m2 + 40 + i)) return fail(s, 1);
  s->auth_req_len = total;
  s->state = AUTH_SENT;
  s->tries = 0;
  s->sent_ns = now_ns();
  send_msg(m2, total);
}

static void on_auth_response(struct slot* s, uint8_t* m, size_t len, uint64_t now) {
  if (m[16] != 46 || len < 28 + 4 + 8 + 16 + 1) return fail(s, 1);
  size_t sk_len = get16(m + 30);
  if (28 + sk_len != len) return fail(s, 1);
  uint8_t* ct = m + 40;
  size_t ctlen = sk_len - 4 - 8 - 16;
  if (!gcm_open(s->sk_er, m + 32, m, 32, ct, ctlen, ct + ctlen)) return fail(s, 1);
  size_t plain = ctlen - 1u - ct[ctlen - 1];
  uint8_t next = m[28];
  size_t o = 0;
  const uint8_t *idr = NULL, *auth = NULL;
  size_t idr_len = 0;
  int child = 0;
  while (next != 0) {
    if (o + 4 > plain) return fail(s, 1);
    uint16_t plen = get16(ct + o + 2);
    if (plen < 4 || o + plen > plain) return fail(s, 1);
    if (next == 36) { idr = ct + o + 4; idr_len = plen - 4u; }
    if (next == 39 && plen == 40 && ct[o + 4] == 2) auth = ct + o + 8;
    if (next == 33) child = 1;
    if (next == 41 && plen >= 8 && get16(ct + o + 6) < 16384) return fail(s, 0);
    next = ct[o];
    o += plen;
  }
  if (idr == NULL || auth == NULL || !child) return fail(s, 1);
  uint8_t expect[32];
  psk_auth(s->real_msg2, s->real_msg2_len, s->ni, NONCE_LEN, s->sk_pr, idr, idr_len, expect);
  if (CRYPTO_memcmp(expect, auth, 32) != 0) return fail(s, 1);
  established++;
  uint64_t ms = (now - s->started_ns) / 1000000ull;
  hist[ms > HIST_MS ? HIST_MS : ms]++;
  measured++;
  s->state = FREE;
}

static double percentile(double p) {
  uint64_t total = 0, seen = 0;
  for (int i = 0; i <= HIST_MS; i++) total += hist[i];
  if (total == 0) return 0;
  for (int i = 0; i <= HIST_MS; i++) {
    seen += hist[i];
    if ((double)seen >= p * (double)total) return i;
  }
  return HIST_MS;
}

int main(int argc, char** argv) {
  const char* host = "127.0.0.1";
  const char* source = "0.0.0.0";
  int port = 500;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--target") && v) { host = v; i++; }
    else if (!strcmp(a, "--source") && v) { source = v; i++; }
    else if (!strcmp(a, "--port") && v) { port = atoi(v); i++; }
    else if (!strcmp(a, "--psk") && v) { cfg.psk = v; i++; }
    else if (!strcmp(a, "--id") && v) { cfg.id = v; i++; }
    else if (!strcmp(a, "--window") && v) { cfg.window = (uint32_t)atoi(v); i++; }
    else if (!strcmp(a, "--duration-ms") && v) { cfg.duration_ms = strtoull(v, NULL, 10); i++; }
    else if (!strcmp(a, "--warmup-ms") && v) { cfg.warmup_ms = strtoull(v, NULL, 10); i++; }
    else if (!strcmp(a, "--count") && v) { cfg.count = strtoull(v, NULL, 10); i++; }
    else if (!strcmp(a, "--max-ms") && v) { cfg.max_ms = strtoull(v, NULL, 10); i++; }
    else { fprintf(stderr, "usage: ikegen --target ADDR [--source ADDR] [--port N] [--psk K] [--id FQDN] [--window W] [--duration-ms D] [--warmup-ms W] [--count N] [--max-ms M]\n"); return 2; }
  }
  if (cfg.window < 1 || cfg.window > 65536) die("window must be 1..65536");
  memset(&cfg.target, 0, sizeof cfg.target);
  cfg.target.sin_family = AF_INET;
  cfg.target.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &cfg.target.sin_addr) != 1) die("bad --target");
  fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) die("socket");
  memset(&cfg.source, 0, sizeof cfg.source);
  cfg.source.sin_family = AF_INET;
  if (inet_pton(AF_INET, source, &cfg.source.sin_addr) != 1) die("bad --source");
  if (bind(fd, (const struct sockaddr*)&cfg.source, sizeof cfg.source) < 0) die("bind");
  socklen_t slen = sizeof cfg.source;
  getsockname(fd, (struct sockaddr*)&cfg.source, &slen);
  int buf = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  gcm = EVP_CIPHER_CTX_new();
  EVP_PKEY_CTX* kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, NULL);
  if (!kctx || EVP_PKEY_keygen_init(kctx) <= 0 || EVP_PKEY_keygen(kctx, &dh_key) <= 0) die("X25519 keygen");
  EVP_PKEY_CTX_free(kctx);
  size_t publen = 32;
  if (EVP_PKEY_get_raw_public_key(dh_key, dh_pub, &publen) <= 0) die("X25519 public");
  hmac256((const uint8_t*)cfg.psk, strlen(cfg.psk), (const uint8_t*)"Key Pad for IKEv2", 17, psk_pad);
  slots = calloc(cfg.window, sizeof *slots);
  if (slots == NULL) die("calloc");

  uint64_t t0 = now_ns(), warm_end = t0 + cfg.warmup_ms * 1000000ull, end = warm_end + cfg.duration_ms * 1000000ull;
  uint64_t hard_end = t0 + cfg.max_ms * 1000000ull, base_established = 0, measure_start = t0;
  int warm = cfg.count == 0 && cfg.warmup_ms > 0;
  if (!warm) measure_start = t0;
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  static uint8_t bufs[BATCH][MAX_MSG];
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = bufs[i]; iov[i].iov_len = MAX_MSG;
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
  }
  uint64_t started = 0;
  for (;;) {
    uint64_t now = now_ns();
    if (warm && now >= warm_end) {
      warm = 0;
      base_established = established;
      measure_start = now;
      memset(hist, 0, sizeof hist);
      measured = 0;
    }
    int done = cfg.count > 0 ? established + failed + invalid + lost >= cfg.count : now >= end;
    if (now >= hard_end) done = 1;
    int busy = 0;
    for (uint32_t i = 0; i < cfg.window; i++) {
      struct slot* s = &slots[i];
      if (s->state == FREE) {
        if (!done && (cfg.count == 0 || started < cfg.count)) { start(s, now); started++; busy = 1; }
        continue;
      }
      busy = 1;
      if (now - s->sent_ns > cfg.timeout_ms * 1000000ull) {
        if (++s->tries > 3) { lost++; s->state = FREE; continue; }
        retransmits++;
        s->sent_ns = now;
        if (s->state == INIT_SENT) send_msg(s->init_req, s->init_req_len);
        else send_msg(s->auth_req, s->auth_req_len);
      }
    }
    if (done && !busy) break;
    if (done && now >= hard_end) break;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    poll(&pfd, 1, 10);
    int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
    for (int k = 0; k < n; k++) {
      uint8_t* m = bufs[k];
      size_t len = msgs[k].msg_len;
      if (len < 28 || get32(m + 24) != len || !(m[19] & 0x20)) { invalid++; continue; }
      uint32_t index = get32(m + 4);
      if (index >= cfg.window) { invalid++; continue; }
      struct slot* s = &slots[index];
      if (memcmp(s->spi_i, m, 8) != 0) continue;  // a late answer for a finished handshake
      if (s->state == INIT_SENT && m[18] == 34 && get32(m + 20) == 0) on_init_response(s, m, len);
      else if (s->state == AUTH_SENT && m[18] == 35 && get32(m + 20) == 1 && !memcmp(s->spi_r, m + 8, 8)) on_auth_response(s, m, len, now_ns());
    }
  }
  double secs = (double)(now_ns() - measure_start) / 1e9;
  uint64_t counted = cfg.count > 0 ? established : established - base_established;
  // The generator's own CPU (user + system), so a run can show it was not the bottleneck.
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  double wall = (double)(now_ns() - t0) / 1e9;
  printf("{\"cpu_s\":%.3f,\"wall_s\":%.3f,\"established\":%llu,\"measured\":%llu,\"failed\":%llu,\"invalid\":%llu,\"lost\":%llu,\"retransmits\":%llu,\"seconds\":%.3f,\"rate\":%.1f,\"p50_ms\":%.0f,\"p99_ms\":%.0f,\"window\":%u}\n",
         cpu, wall, (unsigned long long)established, (unsigned long long)counted, (unsigned long long)failed, (unsigned long long)invalid, (unsigned long long)lost,
         (unsigned long long)retransmits, secs, (double)counted / secs, percentile(0.5), percentile(0.99), cfg.window);
  return 0;
}

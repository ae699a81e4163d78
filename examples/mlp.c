/* examples/mlp.c: a two-layer network trained by plain gradient descent on a synthetic 2-D
 * classification set (is a point inside the circle of radius 1.2?), with the hidden activation's
 * forward and backward running on the device through clact; the small matrix products and the
 * softmax cross-entropy stay on the host. Prints the loss falling and the final accuracy.
 * Usage: mlp [ACTIVATION] [EPOCHS]   (default gelu, 1500) */
#include <clact.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NPTS 512 /* training points */
#define HID 32   /* hidden units */
#define LR 0.5f  /* learning rate */

static unsigned long long seed = 42;
static float uniform(float a, float b) { /* fixed-seed LCG: the run is reproducible */
  seed = seed * 6364136223846793005ull + 1442695040888963407ull;
  return a + (b - a) * (float)((double)(seed >> 11) * 0x1p-53);
}

static int fail(const char *what, clact_status st, clact_context *ctx) {
  fprintf(stderr, "mlp: %s: %s\n%s", what, clact_status_string(st), clact_build_log(ctx));
  return 1;
}

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "gelu";
  int epochs = argc > 2 ? atoi(argv[2]) : 1500;
  clact_activation act;
  if (clact_lookup(name, &act) != CLACT_SUCCESS || epochs < 1) {
    fprintf(stderr, "usage: mlp [ACTIVATION] [EPOCHS >= 1] (activations: clact list)\n");
    return 2;
  }
  clact_context *ctx;
  clact_status st = clact_context_create(&ctx, NULL);
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "mlp: %s\n", clact_status_string(st));
    return st == CLACT_ERROR_NO_DEVICE ? 77 : 1;
  }

  static float X[NPTS][2], Z1[NPTS][HID], A1[NPTS][HID], dA1[NPTS][HID], dZ1[NPTS][HID];
  static float W1[2][HID], b1[HID], W2[HID][2], b2[2];
  int label[NPTS];
  for (int i = 0; i < NPTS; i++) {
    X[i][0] = uniform(-2, 2);
    X[i][1] = uniform(-2, 2);
    label[i] = X[i][0] * X[i][0] + X[i][1] * X[i][1] < 1.44f;
  }
  for (int h = 0; h < HID; h++) {
    W1[0][h] = uniform(-1, 1);
    W1[1][h] = uniform(-1, 1);
    b1[h] = uniform(-0.5f, 0.5f);
    W2[h][0] = uniform(-0.5f, 0.5f);
    W2[h][1] = uniform(-0.5f, 0.5f);
  }

  cl_context c = clact_context_cl(ctx);
  cl_command_queue q = clact_context_queue(ctx);
  cl_int err;
  size_t bytes = sizeof Z1;
  cl_mem bz = clCreateBuffer(c, CL_MEM_READ_WRITE, bytes, NULL, &err);
  cl_mem ba = clCreateBuffer(c, CL_MEM_READ_WRITE, bytes, NULL, &err);
  cl_mem bd = clCreateBuffer(c, CL_MEM_READ_WRITE, bytes, NULL, &err);
  size_t n = (size_t)NPTS * HID;
  float first_loss = 0, loss = 0, acc = 0;
  for (int e = 0; e <= epochs; e++) {
    /* forward: Z1 = X W1 + b1 (host), A1 = act(Z1) (device), logits = A1 W2 + b2 (host) */
    for (int i = 0; i < NPTS; i++)
      for (int h = 0; h < HID; h++)
        Z1[i][h] = X[i][0] * W1[0][h] + X[i][1] * W1[1][h] + b1[h];
    clEnqueueWriteBuffer(q, bz, CL_FALSE, 0, bytes, Z1, 0, NULL, NULL);
    if ((st = clact_forward(ctx, act, CLACT_F32, NULL, n, bz, 0, ba, 0, NULL)) != CLACT_SUCCESS)
      return fail("forward", st, ctx);
    clEnqueueReadBuffer(q, ba, CL_TRUE, 0, bytes, A1, 0, NULL, NULL);
    float gW2[HID][2] = {{0}}, gb2[2] = {0};
    loss = 0;
    int correct = 0;
    for (int i = 0; i < NPTS; i++) {
      float l0 = b2[0], l1 = b2[1];
      for (int h = 0; h < HID; h++) {
        l0 += A1[i][h] * W2[h][0];
        l1 += A1[i][h] * W2[h][1];
      }
      /* softmax cross-entropy and its gradient d logits = p - onehot (averaged) */
      float m = l0 > l1 ? l0 : l1;
      float e0 = expf(l0 - m), e1 = expf(l1 - m);
      float p1 = e1 / (e0 + e1);
      loss -= logf(label[i] ? p1 : 1 - p1) / NPTS;
      correct += (p1 > 0.5f) == label[i];
      float d1 = (p1 - (float)label[i]) / NPTS, d0 = -d1;
      gb2[0] += d0;
      gb2[1] += d1;
      for (int h = 0; h < HID; h++) {
        gW2[h][0] += A1[i][h] * d0;
        gW2[h][1] += A1[i][h] * d1;
        dA1[i][h] = W2[h][0] * d0 + W2[h][1] * d1;
      }
    }
    acc = (float)correct / NPTS;
    if (e == 0)
      first_loss = loss;
    if (e % (epochs / 10 > 0 ? epochs / 10 : 1) == 0 || e == epochs)
      printf("epoch %5d  loss %.4f  accuracy %.3f\n", e, (double)loss, (double)acc);
    if (e == epochs)
      break;
    /* backward: dZ1 = dA1 * act'(Z1) on the device, then the host gradients and the step */
    clEnqueueWriteBuffer(q, bd, CL_FALSE, 0, bytes, dA1, 0, NULL, NULL);
    if ((st = clact_backward(ctx, act, CLACT_F32, NULL, n, bz, 0, bd, 0, bd, 0, NULL)) !=
        CLACT_SUCCESS) /* in place: dZ1 over dA1 */
      return fail("backward", st, ctx);
    clEnqueueReadBuffer(q, bd, CL_TRUE, 0, bytes, dZ1, 0, NULL, NULL);
    float gW1[2][HID] = {{0}}, gb1[HID] = {0};
    for (int i = 0; i < NPTS; i++)
      for (int h = 0; h < HID; h++) {
        gW1[0][h] += X[i][0] * dZ1[i][h];
        gW1[1][h] += X[i][1] * dZ1[i][h];
        gb1[h] += dZ1[i][h];
      }
    for (int h = 0; h < HID; h++) {
      W1[0][h] -= LR * gW1[0][h];
      W1[1][h] -= LR * gW1[1][h];
      b1[h] -= LR * gb1[h];
      W2[h][0] -= LR * gW2[h][0];
      W2[h][1] -= LR * gW2[h][1];
    }
    b2[0] -= LR * gb2[0];
    b2[1] -= LR * gb2[1];
  }
  printf("%s: loss %.4f -> %.4f, final accuracy %.3f\n", clact_name(act), (double)first_loss,
         (double)loss, (double)acc);
  clReleaseMemObject(bz);
  clReleaseMemObject(ba);
  clReleaseMemObject(bd);
  clact_context_destroy(ctx);
  return loss < first_loss && acc >= 0.9f ? 0 : 1; /* learned, or the example is broken */
}

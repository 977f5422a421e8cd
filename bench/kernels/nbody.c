/* nbody.c: f32 n-body simulation (the classic 5-body system, in float),
 * n steps; the checksum is the bit pattern of the final energy and positions. */
#include "common.h"

#define BODIES 5
#define PI 3.141592653589793f
#define SOLAR_MASS (4 * PI * PI)
#define DAYS 365.24f

typedef struct { float x, y, z, vx, vy, vz, mass; } Body;

static Body bodies[BODIES];

static void init(void) {
  static const float init_data[BODIES][7] = {
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    {4.84143144246472090e+00f, -1.16032004402742839e+00f, -1.03622044471123109e-01f,
     1.66007664274403694e-03f * DAYS, 7.69901118419740425e-03f * DAYS,
     -6.90460016972063023e-05f * DAYS, 9.54791938424326609e-04f * SOLAR_MASS},
    {8.34336671824457987e+00f, 4.12479856412430479e+00f, -4.03523417114321381e-01f,
     -2.76742510726862411e-03f * DAYS, 4.99852801234917238e-03f * DAYS,
     2.30417297573763929e-05f * DAYS, 2.85885980666130812e-04f * SOLAR_MASS},
    {1.28943695621391310e+01f, -1.51111514016986312e+01f, -2.23307578892655734e-01f,
     2.96460137564761618e-03f * DAYS, 2.37847173959480950e-03f * DAYS,
     -2.96589568540237556e-05f * DAYS, 4.36624404335156298e-05f * SOLAR_MASS},
    {1.53796971148509165e+01f, -2.59193146099879641e+01f, 1.79258772950371181e-01f,
     2.68067772490389322e-03f * DAYS, 1.62824170038242295e-03f * DAYS,
     -9.51592254519715870e-05f * DAYS, 5.15138902046611451e-05f * SOLAR_MASS},
  };
  for (int i = 0; i < BODIES; i++) {
    const float *d = init_data[i];
    bodies[i] = (Body){d[0], d[1], d[2], d[3], d[4], d[5], d[6]};
  }
  float px = 0, py = 0, pz = 0;
  for (int i = 0; i < BODIES; i++) {
    px += bodies[i].vx * bodies[i].mass;
    py += bodies[i].vy * bodies[i].mass;
    pz += bodies[i].vz * bodies[i].mass;
  }
  bodies[0].vx = -px / SOLAR_MASS;
  bodies[0].vy = -py / SOLAR_MASS;
  bodies[0].vz = -pz / SOLAR_MASS;
}

static void advance(float dt) {
  for (int i = 0; i < BODIES; i++) {
    Body *a = &bodies[i];
    for (int j = i + 1; j < BODIES; j++) {
      Body *b = &bodies[j];
      float dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
      float d2 = dx * dx + dy * dy + dz * dz;
      float mag = dt / (d2 * __builtin_sqrtf(d2));
      a->vx -= dx * b->mass * mag;
      a->vy -= dy * b->mass * mag;
      a->vz -= dz * b->mass * mag;
      b->vx += dx * a->mass * mag;
      b->vy += dy * a->mass * mag;
      b->vz += dz * a->mass * mag;
    }
  }
  for (int i = 0; i < BODIES; i++) {
    bodies[i].x += dt * bodies[i].vx;
    bodies[i].y += dt * bodies[i].vy;
    bodies[i].z += dt * bodies[i].vz;
  }
}

static float energy(void) {
  float e = 0;
  for (int i = 0; i < BODIES; i++) {
    Body *a = &bodies[i];
    e += 0.5f * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
    for (int j = i + 1; j < BODIES; j++) {
      Body *b = &bodies[j];
      float dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
      e -= a->mass * b->mass / __builtin_sqrtf(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static u32 bits(float f) {
  union { float f; u32 u; } v = { f };
  return v.u;
}

EXPORT("run") i32 run(i32 n) {
  init();
  for (i32 i = 0; i < n; i++) advance(0.01f);
  u32 h = mix64(0x811c9dc5u, bits(energy()));
  for (int i = 0; i < BODIES; i++)
    h = mix64(h, ((u64)bits(bodies[i].x) << 32) | bits(bodies[i].vy));
  return (i32)h;
}

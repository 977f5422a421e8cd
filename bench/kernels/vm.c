/* vm.c: a tiny stack-machine bytecode interpreter whose dense `switch` over
 * the opcode compiles to a Wasm br_table. The program runs a loop n times that
 * mixes arithmetic, local slots and conditional jumps. */
#include "common.h"

enum {
  OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_XOR, OP_SHL, OP_SHR,
  OP_AND, OP_DUP, OP_SWAP, OP_DROP, OP_INC, OP_DEC, OP_JNZ, OP_JMP, OP_LT,
  OP_NOT, OP_OR, OP_ROT, OP_HALT
};

/* slots: 0 = counter, 1 = acc, 2 = x, 3 = limit */
static const i32 program[] = {
  /* 0 */ OP_PUSH, 0, OP_STORE, 0,
  /* 4 */ OP_PUSH, 1, OP_STORE, 2,
  /* loop: 8 */
  OP_LOAD, 2, OP_PUSH, 13, OP_SHL, OP_LOAD, 2, OP_XOR, OP_DUP, OP_PUSH, 17,
  OP_SHR, OP_XOR, OP_DUP, OP_PUSH, 5, OP_SHL, OP_XOR, OP_STORE, 2,
  /* acc = acc * 33 + (x & 0xff) */
  OP_LOAD, 1, OP_PUSH, 33, OP_MUL, OP_LOAD, 2, OP_PUSH, 255, OP_AND, OP_ADD,
  OP_STORE, 1,
  /* if (x < 0x40000000) acc ^= counter else acc -= 7 */
  OP_LOAD, 2, OP_PUSH, 0x40000000, OP_LT, OP_JNZ, 57,
  OP_LOAD, 1, OP_PUSH, 7, OP_SUB, OP_STORE, 1, OP_JMP, 64,
  /* 57 */ OP_LOAD, 1, OP_LOAD, 0, OP_XOR, OP_STORE, 1,
  /* 64: counter++, loop while counter != limit */
  OP_LOAD, 0, OP_INC, OP_DUP, OP_STORE, 0, OP_LOAD, 3, OP_SWAP, OP_SUB,
  OP_JNZ, 8,
  OP_LOAD, 1, OP_HALT,
};

static NOINLINE i32 execute(const i32 *code, i32 *slots) {
  i32 stack[64];
  i32 sp = 0, pc = 0;
  for (;;) {
    i32 op = code[pc++];
    switch (op) {
      case OP_PUSH: stack[sp++] = code[pc++]; break;
      case OP_LOAD: stack[sp++] = slots[code[pc++]]; break;
      case OP_STORE: slots[code[pc++]] = stack[--sp]; break;
      case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case OP_SHL: sp--; stack[sp - 1] = (i32)((u32)stack[sp - 1] << (stack[sp] & 31)); break;
      case OP_SHR: sp--; stack[sp - 1] = (i32)((u32)stack[sp - 1] >> (stack[sp] & 31)); break;
      case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_SWAP: { i32 t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
      case OP_ROT: { i32 t = stack[sp - 3]; stack[sp - 3] = stack[sp - 2]; stack[sp - 2] = stack[sp - 1]; stack[sp - 1] = t; break; }
      case OP_DROP: sp--; break;
      case OP_INC: stack[sp - 1]++; break;
      case OP_DEC: stack[sp - 1]--; break;
      case OP_NOT: stack[sp - 1] = !stack[sp - 1]; break;
      case OP_LT: sp--; stack[sp - 1] = (u32)stack[sp - 1] < (u32)stack[sp]; break;
      case OP_JNZ: { i32 target = code[pc++]; if (stack[--sp]) pc = target; break; }
      case OP_JMP: pc = code[pc]; break;
      case OP_HALT: return stack[sp - 1];
      default: return -1;
    }
  }
}

EXPORT("run") i32 run(i32 n) {
  if (n < 1) n = 1;
  i32 slots[4] = {0, 0x1234, 0, n};
  return execute(program, slots);
}

/**
 * The native-debug suites' loop, as Wasm text to splice into a module that
 * imports `$tick` and defines `$inner`: `loop(n)` calls `tick(i)` (where a
 * test acts while the compiled loop runs) and sums `inner(i)` for i < n.
 */
export const TICK_LOOP = `(func $loop (export "loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (call $tick (local.get $i))
        (local.set $acc (i32.add (local.get $acc) (call $inner (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))`;

// IEEE 754 half (e) and single (f) precision as CPython converts doubles to them (PyFloat_Pack2, the C
// double → float cast): round half to even, NaNs keep their sign, a finite double too large overflows.
//
//   half:   sign (1) | exponent (5, bias 15) | fraction (10)     largest finite 65504
//   single: sign (1) | exponent (8, bias 127) | fraction (23)    largest finite 3.4028234663852886e38

const scratch = new DataView(new ArrayBuffer(8));

function signBit(x: number): number {
  scratch.setFloat64(0, x);
  return scratch.getUint8(0) >> 7;
}

// C's frexp for finite non-zero x: x = f · 2^e with 0.5 <= |f| < 1.
function frexp(x: number): [number, number] {
  scratch.setFloat64(0, x);
  let biased = (scratch.getUint16(0) >> 4) & 0x7ff;
  let shift = 0;
  if (biased === 0) {
    scratch.setFloat64(0, x * 2 ** 64); // subnormal: scale into the normal range first
    biased = (scratch.getUint16(0) >> 4) & 0x7ff;
    shift = 64;
  }
  scratch.setUint16(0, (scratch.getUint16(0) & 0x800f) | (1022 << 4));
  return [scratch.getFloat64(0), biased - 1022 - shift];
}

/** The 16 bits of `x` as an IEEE half, or undefined where CPython raises OverflowError. */
export function halfBits(x: number): number | undefined {
  let sign = 0;
  let e: number;
  let bits: number;
  if (x === 0) {
    sign = signBit(x);
    e = 0;
    bits = 0;
  } else if (x === Infinity || x === -Infinity) {
    sign = x < 0 ? 1 : 0;
    e = 0x1f;
    bits = 0;
  } else if (Number.isNaN(x)) {
    sign = signBit(x);
    e = 0x1f;
    bits = 512;
  } else {
    if (x < 0) {
      sign = 1;
      x = -x;
    }
    let [f, exp] = frexp(x);
    f *= 2; // normalise to [1, 2)
    exp--;
    if (exp >= 16) return undefined;
    if (exp < -25) {
      f = 0; // |x| < 2^-25 underflows to zero
      e = 0;
    } else if (exp < -14) {
      f = f * 2 ** (14 + exp); // gradual underflow
      e = 0;
    } else {
      e = exp + 15;
      f -= 1;
    }
    f *= 1024;
    bits = Math.trunc(f);
    const rest = f - bits;
    if (rest > 0.5 || (rest === 0.5 && bits % 2 === 1)) {
      bits++;
      if (bits === 1024) {
        bits = 0; // the carry ran out of the fraction
        e++;
        if (e === 31) return undefined;
      }
    }
  }
  return bits | (e << 10) | (sign << 15);
}

/** The double an IEEE half's 16 bits stand for (PyFloat_Unpack2). */
export function halfValue(bits: number): number {
  const sign = bits >> 15 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const f = bits & 0x3ff;
  if (e === 0x1f) return f === 0 ? sign * Infinity : Number.NaN;
  return e === 0 ? sign * f * 2 ** -24 : sign * (1 + f / 1024) * 2 ** (e - 15);
}

/** The 32 bits of `x` cast to a C float (round half to even; a NaN keeps its sign and top payload bits). */
export function floatBits(x: number): number {
  if (Number.isNaN(x)) {
    scratch.setFloat64(0, x);
    const high = scratch.getUint32(0);
    const low = scratch.getUint32(4);
    return ((high & 0x80000000) | 0x7fc00000 | ((high & 0x7ffff) << 3) | (low >>> 29)) >>> 0;
  }
  scratch.setFloat32(0, Math.fround(x));
  return scratch.getUint32(0);
}

/** Whether a finite double becomes infinite as a C float (CPython's OverflowError for `<f`, `>f`, `=f`). */
export function overflowsFloat(x: number): boolean {
  return Number.isFinite(x) && !Number.isFinite(Math.fround(x));
}

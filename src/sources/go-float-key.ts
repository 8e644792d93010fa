/**
 * sigs.k8s.io/yaml turns a float map key into a JSON key with go-yaml's float formatting,
 * `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest digits that read back as the same float32,
 * in exponent form when the decimal exponent is below -4 or at least 6 (precision -1 decides at
 * 6), with a sign and at least two exponent digits. So `123456789.0: x` is the key `1.2345679e+08`.
 * Source: https://github.com/kubernetes-sigs/yaml/blob/master/yaml.go (convertToJSONableObject),
 * https://cs.opensource.google/go/go/+/refs/tags/go1.22.0:src/strconv/ftoa.go (%g, shortest).
 */
export function goFloat32Key(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  const f = Math.fround(value);
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const negative = f < 0;
  const magnitude = Math.abs(f);
  let exponential = magnitude.toExponential(8);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = magnitude.toExponential(digits - 1);
    if (Math.fround(Number(candidate)) === magnitude) {
      exponential = candidate;
      break;
    }
  }
  const [mantissa = '0', exp = '0'] = exponential.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  const e = Number(exp);
  let text: string;
  if (e < -4 || e >= 6) {
    text = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else {
    const point = e + 1;
    if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
    else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
    else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  return negative ? `-${text}` : text;
}

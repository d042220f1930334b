/**
 * The reference's DigitCircle stamps (`data/digit_circle_stamps.pkl`, spec 3.2): one fixed
 * bitmap per digit, FreeMono at size 15 binarised and cropped to the ink plus a 1-pixel empty
 * margin. Rows are separated by `/`, `#` is ink. All are 12 rows tall and 7–9 wide.
 */
const BITMAPS: Readonly<Record<string, string>> = {
  '0': '........./...###.../..##.##../..#...#../..#...#../.##...##./.##...##./..#...#../..#...#../..##.##../...###.../.........',
  '1': '......./...#.../..##.../.#.#.../...#.../...#.../...#.../...#.../...#.../...#.../.#####./.......',
  '2': '......../...###../..#..##./.##...#./......#./......#./.....#../....#.../...#..../..#...../.######./........',
  '3': '........./..####.../......#../......#../......#../....##.../.....##../......##./......##./.##..##../..####.../.........',
  '4': '......../....##../....##../...###../...#.#../...#.#../..#..#../..#..#../.######./.....#../....###./........',
  '5': '........./..#####../..#....../..#....../..#....../..#####../..##..#../.......#./......##./.##...#../..####.../.........',
  '6': '......../...####./..##..../.##...../.#....../.#.###../.##..##./.#....#./.#....#./..#..##./..####../........',
  '7': '......../.######./......#./......#./......#./.....#../.....#../.....#../....##../....#.../....#.../........',
  '8': '......./..###../.#...#./.#...#./.#...#./..###../.##.##./.#...#./.#...#./.##.##./..###../.......',
  '9': '......../..###.../.##..#../.#...##./.#...##./.##.###./..###.#./.....##./.....#../...###../.####.../........',
};

/**
 * One DigitCircle stamp: `height × width` pixels, row-major, 1 = ink.
 *
 * @example
 * ```ts
 * const seven: Stamp = DIGIT_STAMPS['7']!;
 * seven.height; // 12
 * ```
 */
export interface Stamp {
  readonly height: number;
  readonly width: number;
  readonly pixels: Uint8Array;
}

function parse(bitmap: string): Stamp {
  const rows = bitmap.split('/');
  const width = rows[0]!.length;
  const pixels = new Uint8Array(rows.length * width);
  rows.forEach((row, r) => [...row].forEach((ch, c) => (pixels[r * width + c] = ch === '#' ? 1 : 0)));
  return { height: rows.length, width, pixels };
}

/**
 * The ten stamps by digit, `'0'`–`'9'`, in the reference's dictionary order (which is the
 * population `choice` draws the digits from).
 *
 * @example
 * ```ts
 * Object.keys(DIGIT_STAMPS); // ['0', '1', ..., '9']
 * DIGIT_STAMPS['0']!.width; // 9
 * ```
 */
export const DIGIT_STAMPS: Readonly<Record<string, Stamp>> = Object.freeze(
  Object.fromEntries(Object.entries(BITMAPS).map(([digit, bitmap]) => [digit, parse(bitmap)])),
);

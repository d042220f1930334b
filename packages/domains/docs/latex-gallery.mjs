// The picture of docs/latex-ocr-gallery.png, shared by its script and its test.
import { RgbImage } from '@sparling/raster';

/** Items of training seed 1 shown: a fraction, nested parentheses with scripts, a long product. */
export const GALLERY_ITEMS = [4, 0, 5];
const GAP = 12;

/** Clean then noisy picture of each gallery item, stacked; `domains` is the package (dist or src). */
export async function latexGallery(domains) {
  const { LatexOcr, renderSample } = domains ?? (await import('../dist/index.js'));
  const clean = new LatexOcr({ noise: 0 });
  const noisy = new LatexOcr();
  const pictures = GALLERY_ITEMS.flatMap((index) => [
    // The picture font has no braces, so the LaTeX code goes in the README's caption instead.
    renderSample(clean.sample(1, index), { inverted: true, scale: 2, title: `seed 1, item ${index}, without the noise` }),
    renderSample(noisy.sample(1, index), { inverted: true, scale: 2, title: `seed 1, item ${index}, as trained on` }),
  ]);
  const width = Math.max(...pictures.map((p) => p.width));
  const height = pictures.reduce((h, p) => h + p.height, 0) + GAP * (pictures.length - 1);
  const grid = new RgbImage(width, height, '#ffffff');
  let y = 0;
  for (const picture of pictures) {
    for (let row = 0; row < picture.height; row++) {
      grid.data.set(picture.data.subarray(row * picture.width * 3, (row + 1) * picture.width * 3), ((y + row) * width) * 3);
    }
    y += picture.height + GAP;
  }
  return grid;
}

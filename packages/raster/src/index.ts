export { RgbImage, textSize, type DrawMapOptions, type TextOptions } from './rgb-image.js';
export { parseColor, mixColors, type Color, type Rgb } from './color.js';
export { encodePng, writePng } from './png.js';

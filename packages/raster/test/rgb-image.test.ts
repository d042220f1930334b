import { describe, expect, it } from 'vitest';
import { mixColors, parseColor, RgbImage, textSize } from '../src/index.js';
import { countColor } from './helpers.js';

const RED = [255, 0, 0] as const;

describe('colours', () => {
  it('reads hex text and triples', () => {
    expect(parseColor('#08306b')).toEqual([8, 48, 107]);
    expect(parseColor('#FFF')).toEqual([255, 255, 255]);
    expect(parseColor([1, 2, 3])).toEqual([1, 2, 3]);
    expect(mixColors('#ffffff', '#000000', 0.5)).toEqual([128, 128, 128]);
    expect(mixColors('#000000', '#ffffff', 2)).toEqual([255, 255, 255]);
  });
  it('names a bad colour', () => {
    expect(() => parseColor('red')).toThrow(`parseColor: color: expected '#rrggbb', '#rgb' or [r, g, b], received "red"`);
    expect(() => new RgbImage(2, 2).fill([256, 0, 0])).toThrow('RgbImage.fill: color: expected');
  });
});

describe('RgbImage', () => {
  it('starts filled with its background and validates its size', () => {
    const image = new RgbImage(3, 2, '#102030');
    expect(image.data).toHaveLength(18);
    expect(image.getPixel(2, 1)).toEqual([16, 32, 48]);
    expect(() => new RgbImage(0, 2)).toThrow('RgbImage: width: expected an integer >= 1, received 0');
    expect(() => image.getPixel(3, 0)).toThrow('RgbImage.getPixel: x: expected an integer in [0, 3), received 3');
  });
  it('fills rectangles, clipped to the image', () => {
    const image = new RgbImage(10, 10).fillRect(-2, 8, 5, 5, RED);
    expect(countColor(image, RED)).toBe(3 * 2);
    expect(image.getPixel(0, 9)).toEqual([255, 0, 0]);
    expect(image.getPixel(3, 9)).toEqual([255, 255, 255]);
  });
  it('outlines rectangles inside their bounds', () => {
    const image = new RgbImage(10, 10).strokeRect(1, 1, 6, 4, RED, 1);
    expect(countColor(image, RED)).toBe(2 * 6 + 2 * 2);
    expect(image.getPixel(1, 1)).toEqual([255, 0, 0]);
    expect(image.getPixel(6, 4)).toEqual([255, 0, 0]);
    expect(image.getPixel(7, 4)).toEqual([255, 255, 255]);
    expect(countColor(new RgbImage(10, 10).strokeRect(0, 0, 4, 4, RED, 2), RED)).toBe(16);
  });
  it('draws lines from end to end', () => {
    const image = new RgbImage(10, 10).line(0, 0, 9, 9, RED);
    expect(countColor(image, RED)).toBe(10);
    for (let i = 0; i < 10; i++) expect(image.getPixel(i, i)).toEqual([255, 0, 0]);
    expect(countColor(new RgbImage(10, 10).line(0, 5, 9, 5, RED, 3), RED)).toBe(30);
  });
  it('draws round dots around a continuous centre, with an optional ring', () => {
    const image = new RgbImage(20, 20).dot(10, 10, 3, RED);
    expect(countColor(image, RED)).toBe(32);
    expect(image.getPixel(10, 10)).toEqual([255, 0, 0]);
    expect(image.getPixel(13, 13)).toEqual([255, 255, 255]);
    const ringed = new RgbImage(20, 20).dot(10, 10, 3, RED, '#000000');
    expect(countColor(ringed, RED) + countColor(ringed, [0, 0, 0])).toBe(32);
    expect(ringed.getPixel(10, 10)).toEqual([255, 0, 0]);
    expect(ringed.getPixel(7, 10)).toEqual([0, 0, 0]);
  });
  it('writes text in the pixel font, anchored and scaled', () => {
    expect(textSize('0 7 2', 2)).toEqual({ width: 58, height: 14 });
    expect(textSize('')).toEqual({ width: 0, height: 7 });
    const image = new RgbImage(40, 20).text('1', 20, 10, RED, { anchor: 'middle', baseline: 'middle', scale: 2 });
    // "1" has 10 ink pixels in the 5×7 font; each is a 2×2 block.
    expect(countColor(image, RED)).toBe(40);
    expect(image.getPixel(19, 7)).toEqual([255, 0, 0]);
    expect(() => image.text('x', 0, 0, RED, { scale: 0 })).toThrow('RgbImage.text: options.scale: expected an integer >= 1, received 0');
  });
  it('upscales a map with nearest-neighbour blocks between two colours', () => {
    const image = new RgbImage(6, 4).drawMap([0, 1, 0.5, 2, 0, -1], 3, 2, { scale: 2, low: '#ffffff', high: '#000000' });
    expect(image.getPixel(0, 0)).toEqual([255, 255, 255]);
    expect(image.getPixel(3, 1)).toEqual([0, 0, 0]);
    expect(image.getPixel(5, 0)).toEqual([128, 128, 128]);
    expect(image.getPixel(1, 3)).toEqual([0, 0, 0]);
    expect(image.getPixel(5, 3)).toEqual([255, 255, 255]);
    expect(() => image.drawMap([1, 2], 3, 2)).toThrow('RgbImage.drawMap: values: expected 6 numbers (mapWidth × mapHeight), received an array of length 2');
    expect(() => image.drawMap([1], 1, 1, { min: 1, max: 1 })).toThrow('options.max: expected a number greater than options.min (1), received 1');
  });
});

import { PNG } from 'pngjs';

/** Width and height of a PNG image. */
export interface PngSize {
  readonly width: number;
  readonly height: number;
}

/** Reads the size of a PNG image. */
export function pngSize(png: Buffer): PngSize {
  const image = PNG.sync.read(png);
  return { width: image.width, height: image.height };
}

/** Problems that keep `png` from being a Teams outline icon: 32×32, only white or fully transparent pixels. */
export function outlineIconProblems(png: Buffer): string[] {
  const image = PNG.sync.read(png);
  const problems: string[] = [];
  if (image.width !== 32 || image.height !== 32) {
    problems.push(`outline icon is ${image.width}x${image.height}, not 32x32`);
  }
  let offWhite = 0;
  let visible = 0;
  for (let offset = 0; offset < image.data.length; offset += 4) {
    if (image.data[offset + 3] === 0) continue;
    visible++;
    const rgb = [image.data[offset], image.data[offset + 1], image.data[offset + 2]];
    if (rgb.some((channel) => channel !== 255)) offWhite++;
  }
  if (offWhite > 0)
    problems.push(`outline icon has ${offWhite} pixels that are neither white nor transparent`);
  if (visible === 0) problems.push('outline icon is empty');
  return problems;
}

/** Problems that keep `png` from being a Teams colour icon: 192×192 and not a blank square. */
export function colorIconProblems(png: Buffer): string[] {
  const image = PNG.sync.read(png);
  const problems: string[] = [];
  if (image.width !== 192 || image.height !== 192) {
    problems.push(`color icon is ${image.width}x${image.height}, not 192x192`);
  }
  const colors = new Set<number>();
  for (let offset = 0; offset < image.data.length; offset += 4) {
    colors.add(image.data.readUInt32BE(offset));
  }
  if (colors.size < 3) problems.push('color icon has fewer than 3 colours: it is a blank square');
  return problems;
}

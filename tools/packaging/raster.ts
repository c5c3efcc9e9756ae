import { PNG } from 'pngjs';

/** An RGBA colour, each channel 0-255. */
export type Rgba = readonly [number, number, number, number];

/** A shape: true when the point (in pixel units) is inside. */
export type Shape = (x: number, y: number) => boolean;

const SAMPLES = 4;

/** A square RGBA image that shapes are painted onto with anti-aliasing. */
export class Raster {
  readonly png: PNG;

  constructor(readonly size: number) {
    this.png = new PNG({ width: size, height: size, colorType: 6 });
    this.png.data.fill(0);
  }

  /** Paints `shape` in `color` over what is already there (source-over). */
  paint(shape: Shape, color: Rgba): void {
    this.eachPixel(shape, (offset, coverage) => this.blend(offset, color, coverage));
  }

  /** Makes `shape` transparent again, keeping partial coverage as partial alpha. */
  erase(shape: Shape): void {
    this.eachPixel(shape, (offset, coverage) => {
      const data = this.png.data;
      data[offset + 3] = Math.round((data[offset + 3] ?? 0) * (1 - coverage));
      if (data[offset + 3] === 0) data.fill(0, offset, offset + 3);
    });
  }

  /** The image encoded as PNG. */
  encode(): Buffer {
    return PNG.sync.write(this.png, { colorType: 6 });
  }

  private eachPixel(shape: Shape, apply: (offset: number, coverage: number) => void): void {
    for (let y = 0; y < this.size; y++) {
      for (let x = 0; x < this.size; x++) {
        const coverage = coverageAt(shape, x, y);
        if (coverage > 0) apply((y * this.size + x) * 4, coverage);
      }
    }
  }

  private blend(offset: number, [r, g, b, a]: Rgba, coverage: number): void {
    const data = this.png.data;
    const source = (a / 255) * coverage;
    const target = (data[offset + 3] ?? 0) / 255;
    const alpha = source + target * (1 - source);
    const mix = (channel: number, value: number): number =>
      Math.round((value * source + (data[offset + channel] ?? 0) * target * (1 - source)) / alpha);
    data[offset] = mix(0, r);
    data[offset + 1] = mix(1, g);
    data[offset + 2] = mix(2, b);
    data[offset + 3] = Math.round(alpha * 255);
  }
}

function coverageAt(shape: Shape, x: number, y: number): number {
  let inside = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      if (shape(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES)) inside++;
    }
  }
  return inside / (SAMPLES * SAMPLES);
}

/** A filled circle. */
export function circle(cx: number, cy: number, radius: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** An eye-shaped lens, `width` wide and `height` tall, centred on (cx, cy). */
export function lens(cx: number, cy: number, width: number, height: number): Shape {
  const halfWidth = width / 2;
  const halfHeight = height / 2;
  const offset = (halfWidth ** 2 - halfHeight ** 2) / (2 * halfHeight);
  const radius = offset + halfHeight;
  const upper = circle(cx, cy + offset, radius);
  const lower = circle(cx, cy - offset, radius);
  return (x, y) => upper(x, y) && lower(x, y);
}

/** A line segment with round ends, `thickness` wide. */
export function stroke(x1: number, y1: number, x2: number, y2: number, thickness: number): Shape {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const lengthSquared = dx * dx + dy * dy;
  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / lengthSquared));
    return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2 <= (thickness / 2) ** 2;
  };
}

/** Points inside `outer` but not inside `inner`. */
export function without(outer: Shape, inner: Shape): Shape {
  return (x, y) => outer(x, y) && !inner(x, y);
}

/** Points inside any of `shapes`. */
export function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((shape) => shape(x, y));
}

/**
 * A landscape's map: f on a grid (evaluated by gradlab, the same tensor expression the
 * optimizers descend), shaded by height, with contour lines by marching squares. Heights
 * are drawn as log(1 + f − minimum), so the floor of a valley and its walls both show.
 */
import { linspace } from "gradlab";
import type { Landscape } from "./landscapes.ts";

/** Maps between the landscape's coordinates and the canvas's CSS pixels. */
export interface View {
  readonly width: number;
  readonly height: number;
  readonly domain: readonly [number, number, number, number];
}

export const toPixel = (view: View, x: number, y: number): [number, number] => {
  const [x0, x1, y0, y1] = view.domain;
  return [((x - x0) / (x1 - x0)) * view.width, ((y1 - y) / (y1 - y0)) * view.height];
};

export const fromPixel = (view: View, px: number, py: number): [number, number] => {
  const [x0, x1, y0, y1] = view.domain;
  return [x0 + (px / view.width) * (x1 - x0), y1 - (py / view.height) * (y1 - y0)];
};

/** log(1 + f − minimum) on an n×n grid, row 0 at the top (largest y). */
export function heights(landscape: Landscape, n: number): Float64Array {
  const [x0, x1, y0, y1] = landscape.domain;
  const xs = linspace(x0, x1, n, { dtype: "float64" }).unsqueeze(0).expand([n, n]);
  const ys = linspace(y1, y0, n, { dtype: "float64" }).unsqueeze(1).expand([n, n]);
  const values = landscape.f(xs, ys).tolist() as number[][];
  const out = new Float64Array(n * n);
  values.forEach((row, i) => row.forEach((v, j) => (out[i * n + j] = Math.log1p(Math.max(0, v - landscape.minimum)))));
  return out;
}

/** A pale blue (low) to sand (high) ramp, so the coloured paths stand out on it. */
function shade(t: number): [number, number, number] {
  const low = [225, 238, 248];
  const high = [250, 240, 222];
  return [0, 1, 2].map((c) => Math.round(low[c]! + (high[c]! - low[c]!) * t)) as [number, number, number];
}

/** Draws the shaded map and its contour lines into `ctx` (already scaled to CSS pixels). */
export function drawMap(ctx: CanvasRenderingContext2D, view: View, landscape: Landscape, n = 160): void {
  const z = heights(landscape, n);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of z) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const image = ctx.createImageData(n, n);
  for (let k = 0; k < n * n; k++) {
    const [r, g, b] = shade((z[k]! - lo) / (hi - lo || 1));
    image.data.set([r, g, b, 255], 4 * k);
  }
  const buffer = document.createElement("canvas");
  buffer.width = n;
  buffer.height = n;
  buffer.getContext("2d")!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(buffer, 0, 0, view.width, view.height);

  const levels = 18;
  ctx.lineWidth = 1;
  for (let l = 1; l < levels; l++) {
    const level = lo + ((hi - lo) * l) / levels;
    ctx.strokeStyle = `rgba(70, 90, 120, ${0.25 + (0.35 * (levels - l)) / levels})`;
    ctx.beginPath();
    marchingSquares(z, n, level, (a, b) => {
      const [ax, ay] = [(a[0] / (n - 1)) * view.width, (a[1] / (n - 1)) * view.height];
      const [bx, by] = [(b[0] / (n - 1)) * view.width, (b[1] / (n - 1)) * view.height];
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
    });
    ctx.stroke();
  }
}

/**
 * The segments of the contour `level` of a grid (cells between four samples), in grid
 * coordinates (column, row), each edge crossing placed by linear interpolation.
 */
export function marchingSquares(z: Float64Array, n: number, level: number, segment: (a: [number, number], b: [number, number]) => void): void {
  const cross = (i0: number, j0: number, i1: number, j1: number): [number, number] => {
    const v0 = z[i0 * n + j0]!;
    const v1 = z[i1 * n + j1]!;
    const t = (level - v0) / (v1 - v0);
    return [j0 + (j1 - j0) * t, i0 + (i1 - i0) * t];
  };
  for (let i = 0; i < n - 1; i++) {
    for (let j = 0; j < n - 1; j++) {
      const tl = z[i * n + j]! > level ? 1 : 0;
      const tr = z[i * n + j + 1]! > level ? 1 : 0;
      const br = z[(i + 1) * n + j + 1]! > level ? 1 : 0;
      const bl = z[(i + 1) * n + j]! > level ? 1 : 0;
      const code = (tl << 3) | (tr << 2) | (br << 1) | bl;
      if (code === 0 || code === 15) continue;
      const top = (): [number, number] => cross(i, j, i, j + 1);
      const right = (): [number, number] => cross(i, j + 1, i + 1, j + 1);
      const bottom = (): [number, number] => cross(i + 1, j, i + 1, j + 1);
      const left = (): [number, number] => cross(i, j, i + 1, j);
      switch (code) {
        case 1:
        case 14:
          segment(left(), bottom());
          break;
        case 2:
        case 13:
          segment(bottom(), right());
          break;
        case 3:
        case 12:
          segment(left(), right());
          break;
        case 4:
        case 11:
          segment(top(), right());
          break;
        case 5:
          segment(left(), top());
          segment(bottom(), right());
          break;
        case 6:
        case 9:
          segment(top(), bottom());
          break;
        case 7:
        case 8:
          segment(left(), top());
          break;
        case 10:
          segment(left(), bottom());
          segment(top(), right());
          break;
      }
    }
  }
}

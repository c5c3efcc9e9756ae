/** Formats epoch ms the way Graph writes date-times: seven fractional digits and `Z`. */
export function graphDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** One measured figure of the resilience suites: which suite, what, the value and the target. */
export interface ResilienceFigure {
  readonly suite: string;
  readonly figure: string;
  readonly value: string;
  readonly target: string;
}

const figures: ResilienceFigure[] = [];

/** Records a figure for the table printed after the suites (numbers get thousands separators). */
export function recordFigure(
  suite: string,
  figure: string,
  value: string | number,
  target = '',
): void {
  const shown = typeof value === 'number' ? value.toLocaleString('en-US') : value;
  figures.push({ suite, figure, value: shown, target });
}

/** Every figure recorded so far, in order. */
export function recordedFigures(): readonly ResilienceFigure[] {
  return figures;
}

/** The figures as one aligned text table. */
export function figuresTable(rows: readonly ResilienceFigure[]): string {
  const header: ResilienceFigure = {
    suite: 'suite',
    figure: 'figure',
    value: 'value',
    target: 'target',
  };
  const all = [header, ...rows];
  const width = (key: keyof ResilienceFigure): number =>
    Math.max(...all.map((row) => row[key].length));
  const line = (row: ResilienceFigure): string =>
    `| ${row.suite.padEnd(width('suite'))} | ${row.figure.padEnd(width('figure'))} | ${row.value.padStart(width('value'))} | ${row.target.padEnd(width('target'))} |`;
  const rule = `|${'-'.repeat(width('suite') + 2)}|${'-'.repeat(width('figure') + 2)}|${'-'.repeat(width('value') + 1)}:|${'-'.repeat(width('target') + 2)}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Reads the learning curve back (shared by its unit test and the simulator's e2e). */

/** Each policy's marks in each panel of the learning curve: its polylines' points and its dots. */
export function svgMarks(
  svg: string,
): Map<string, { lines: { x: number; y: number }[][]; dots: { x: number; y: number }[] }> {
  const marks = new Map<string, { lines: { x: number; y: number }[][]; dots: { x: number; y: number }[] }>();
  for (const [, panel, policy, body] of svg.matchAll(
    /<g data-panel="(\w+)" data-policy="([^"]+)">([\s\S]*?)<\/g>/g,
  )) {
    const lines = [...body.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map(([, points]) =>
      points.split(' ').map((p) => {
        const [x, y] = p.split(',').map(Number);
        return { x, y };
      }),
    );
    const dots = [...body.matchAll(/<circle cx="([-\d.]+)" cy="([-\d.]+)"/g)].map(([, x, y]) => ({
      x: Number(x),
      y: Number(y),
    }));
    marks.set(`${panel}/${policy}`, { lines, dots });
  }
  return marks;
}

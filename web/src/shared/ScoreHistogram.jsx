// The score histogram: one bar per bin, tier bands behind the bars, the sales-ready threshold
// as a line. Drawn with uPlot on a canvas (fast enough to redraw on every keystroke).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export const TIER_COLORS = ['#c2410c', '#d97706', '#2563eb', '#0f766e', '#7c3aed', '#4b5563', '#be185d', '#65a30d'];
export const tierColor = (k, n) =>
  n <= 3 ? (['#c2410c', '#d97706', '#2563eb'][k + 3 - n] ?? TIER_COLORS[k]) : TIER_COLORS[k % TIER_COLORS.length];

const compact = (v) => (v >= 1e6 ? `${+(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${+(v / 1e3).toFixed(1)}k` : `${v}`);

function bars(u, seriesIdx, idx0, idx1) {
  const { ctx } = u;
  const xs = u.data[0],
    ys = u.data[seriesIdx];
  const width = u.data.width;
  ctx.save();
  ctx.fillStyle = 'rgba(31, 41, 55, 0.82)';
  for (let i = idx0; i <= idx1; i++) {
    if (!ys[i]) continue;
    const x0 = u.valToPos(xs[i], 'x', true),
      x1 = u.valToPos(xs[i] + width, 'x', true);
    const y0 = u.valToPos(0, 'y', true),
      y1 = u.valToPos(ys[i], 'y', true);
    ctx.fillRect(x0 + 1, y1, Math.max(1, x1 - x0 - 2), y0 - y1);
  }
  ctx.restore();
  return null;
}

// Each tier's stretch of the x axis in canvas pixels, within the plot: {name, color, x0, x1}.
function tierBands(u, tiers) {
  const [xmin, xmax] = [u.scales.x.min, u.scales.x.max];
  const out = [];
  tiers.forEach((t, k) => {
    const a = Math.max(xmin, t.min ?? -Infinity),
      b = Math.min(xmax, k === 0 ? Infinity : tiers[k - 1].min);
    if (b > a)
      out.push({
        name: t.name,
        color: tierColor(k, tiers.length),
        x0: u.valToPos(a, 'x', true),
        x1: u.valToPos(b, 'x', true),
      });
  });
  return out;
}

const kLabelRoom = 38; // CSS px: the sales-ready label's baseline is 30 px below the plot's top

export function ScoreHistogram({ summary, tiers, salesReady, label = 'Score distribution', height = 190 }) {
  const box = useRef(null);
  const plot = useRef(null);
  const latest = useRef({ tiers, salesReady });
  latest.current = { tiers, salesReady };

  const data = () => {
    const b = summary.bins;
    const xs = summary.histogram.map((_, i) => b.lo + i * b.width);
    const d = [xs, summary.histogram];
    d.width = b.width;
    return d;
  };

  useEffect(() => {
    const el = box.current;
    const opts = {
      width: el.clientWidth || 600,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: {
        x: { time: false, range: (u, min, max) => [min, max + (u.data.width ?? 1)] },
        // Room above the tallest bar for the labels drawn at the top (tier names, the sales-ready
        // line's label): ~38 px of the plot's height, which is the bbox once laid out.
        y: {
          range: (u, min, max) => {
            const h = u.bbox.height / devicePixelRatio || height - 50;
            return [0, Math.max(1, max) * Math.max(1.3, h / Math.max(h - kLabelRoom, h / 2))];
          },
        },
      },
      axes: [
        {
          stroke: '#4b5563',
          grid: { show: false },
          size: 34,
          font: '12px system-ui, sans-serif',
          label: 'score',
          labelSize: 16,
          labelFont: '12px system-ui, sans-serif',
        },
        {
          stroke: '#4b5563',
          grid: { stroke: '#e5e7eb' },
          size: 48,
          font: '12px system-ui, sans-serif',
          values: (u, vals) => vals.map(compact),
        },
      ],
      series: [{}, { label: 'leads', paths: bars, points: { show: false }, stroke: 'transparent' }],
      hooks: {
        drawClear: [
          (u) => {
            // tier bands behind the grid and the bars
            const { ctx } = u;
            ctx.save();
            for (const band of tierBands(u, latest.current.tiers)) {
              ctx.fillStyle = band.color + '1f';
              ctx.fillRect(band.x0, u.bbox.top, band.x1 - band.x0, u.bbox.height);
            }
            ctx.restore();
          },
        ],
        draw: [
          (u) => {
            // tier names over the grid (drawn before it, the top grid line could strike them through)
            const { ctx } = u;
            ctx.save();
            ctx.font = `600 ${12 * devicePixelRatio}px system-ui, sans-serif`;
            // Set here: the context keeps the y axis's right alignment, which drew each name
            // leftwards from its band's edge, the lowest one over the axis labels.
            ctx.textAlign = 'left';
            ctx.textBaseline = 'alphabetic';
            for (const band of tierBands(u, latest.current.tiers)) {
              if (band.x1 - band.x0 <= 40 * devicePixelRatio) continue;
              ctx.fillStyle = band.color;
              ctx.fillText(band.name, band.x0 + 6 * devicePixelRatio, u.bbox.top + 16 * devicePixelRatio);
            }
            ctx.restore();
          },
          (u) => {
            const { salesReady: th } = latest.current;
            if (th === undefined || th === null || th < u.scales.x.min || th > u.scales.x.max) return;
            const { ctx } = u;
            const x = u.valToPos(th, 'x', true);
            ctx.save();
            ctx.strokeStyle = '#b91c1c';
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.fillStyle = '#b91c1c';
            ctx.font = `600 ${11 * devicePixelRatio}px system-ui, sans-serif`;
            ctx.textAlign = 'right';
            ctx.textBaseline = 'alphabetic';
            ctx.fillText(`sales-ready ≥ ${th}`, x - 4 * devicePixelRatio, u.bbox.top + 30 * devicePixelRatio);
            ctx.restore();
          },
        ],
      },
    };
    plot.current = new uPlot(opts, data(), el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(data());
  }, [summary, tiers, salesReady]);

  const max = Math.max(...summary.histogram);
  return (
    <figure class="histogram">
      <figcaption>{label}</figcaption>
      <div
        ref={box}
        class="chart"
        role="img"
        aria-label={`${label}: ${summary.histogram.length} bins from ${summary.bins.lo} to ${summary.bins.hi}, tallest bin ${max} leads${salesReady !== undefined ? `, sales-ready from ${salesReady}` : ''}`}
        data-bins={JSON.stringify(summary.histogram)}
      />
    </figure>
  );
}

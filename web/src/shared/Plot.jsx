// A uPlot chart that follows its box's width, and the axes our charts share.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export function Plot({ opts, data, label, height = 200 }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const el = box.current;
    plot.current = new uPlot({ ...opts, width: el.clientWidth || 400, height }, data, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
    };
  }, [JSON.stringify(opts.series.map((s) => s.label))]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return <div ref={box} class="chart" role="img" aria-label={label} />;
}

export const axes = (x, y) => [
  {
    stroke: '#4b5563',
    grid: { show: false },
    font: '12px system-ui, sans-serif',
    label: x,
    labelSize: 16,
    labelFont: '12px system-ui, sans-serif',
  },
  {
    stroke: '#4b5563',
    grid: { stroke: '#e5e7eb' },
    font: '12px system-ui, sans-serif',
    label: y,
    labelSize: 16,
    labelFont: '12px system-ui, sans-serif',
    size: 50,
  },
];

// A chart: ECharts, only the parts Baton's pages use (tree-shaken), drawn on a
// canvas. Tooltips render inside the canvas too (renderMode richText): HTML
// tooltips carry inline style attributes, which the Content-Security-Policy refuses.
// A canvas says nothing to a screen reader: `label` says what the chart shows
// (role img), and pages give the figures themselves in text or a table nearby.
import { BarChart, FunnelChart, GraphChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type EChartsCoreOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([BarChart, FunnelChart, GraphChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = EChartsCoreOption;

/** Colours with at least 3:1 contrast on white, in the order series take them. */
export const CHART_COLORS = ['#1d4ed8', '#b45309', '#047857', '#b91c1c', '#7c3aed', '#0e7490', '#be185d'];

/** What a click on a chart's item (a bar, a graph node) tells: its series type, data type and data. */
export interface ChartItemClick {
  seriesType?: string;
  dataType?: string;
  data?: unknown;
}

export function Chart({
  option,
  label,
  height = 260,
  onItemClick,
}: {
  option: ChartOption;
  label: string;
  height?: number;
  /** Optional: a pointer click on an item; pages give the same action to the keyboard elsewhere (a canvas takes no focus). */
  onItemClick?: (item: ChartItemClick) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);
  const onItemClickRef = useRef(onItemClick);
  onItemClickRef.current = onItemClick;
  // The option waiting for the chart to have a size: drawn at zero width or height,
  // a graph series' view cannot be inverted and ECharts throws.
  const pending = useRef<ChartOption | null>(null);
  useEffect(() => {
    if (!element.current) return;
    const instance = init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (item) => onItemClickRef.current?.(item as ChartItemClick));
    const resize = new ResizeObserver(([entry]) => {
      // Hidden or collapsed for a moment: keep the last drawing rather than lay out on nothing.
      if (!entry || entry.contentRect.width === 0 || entry.contentRect.height === 0) return;
      instance.resize();
      if (pending.current && hasSize(instance)) {
        draw(instance, pending.current);
        pending.current = null;
      }
    });
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    if (!hasSize(instance)) instance.resize();
    if (hasSize(instance)) {
      pending.current = null;
      draw(instance, option);
    } else {
      pending.current = option;
    }
  }, [option]);
  return <div ref={element} className="chart" role="img" aria-label={label} style={{ height }} />;
}

function hasSize(instance: ReturnType<typeof init>): boolean {
  return instance.getWidth() > 0 && instance.getHeight() > 0;
}

function draw(instance: ReturnType<typeof init>, option: ChartOption): void {
  instance.setOption(
    {
      color: CHART_COLORS,
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      animation: false,
      ...option,
    },
    { notMerge: true },
  );
}

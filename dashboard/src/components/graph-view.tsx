// A small graph: labelled nodes placed by a force layout, edges as thick as
// their weight, the centre node larger. ECharts' graph series on the shared
// Chart (canvas). A canvas is neither readable nor focusable, so the same graph
// is also given as a table of edges whose other ends are buttons: clicking a
// node (pointer) and pressing its button (keyboard, screen reader) both ask
// `onSelect` to recentre.
import { useMemo } from 'react';
import { Chart, CHART_COLORS } from './chart.tsx';
import { formatDecimal } from './format.ts';

export interface GraphNode {
  id: string;
  label: string;
  /** Nodes of one category share a colour and a legend entry. */
  category: string;
}

export interface GraphEdge {
  source: string;
  target: string;
  label: string;
  /** 0-1 by convention: drawn as the edge's width. */
  weight: number;
}

export function GraphView({
  nodes,
  edges,
  centre,
  label,
  onSelect,
  height = 420,
}: {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  centre?: string;
  /** What the graph shows, for screen readers (the table below gives the detail). */
  label: string;
  onSelect?: (id: string) => void;
  height?: number;
}) {
  const categories = useMemo(() => [...new Set(nodes.map((node) => node.category))], [nodes]);
  const byId = useMemo(() => new Map(nodes.map((node) => [node.id, node])), [nodes]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item', renderMode: 'richText' },
      legend: { top: 0, data: categories },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          top: 40,
          force: { repulsion: 260, edgeLength: [70, 160], gravity: 0.08, layoutAnimation: false },
          categories: categories.map((name, index) => ({ name, itemStyle: { color: CHART_COLORS[index % CHART_COLORS.length] } })),
          label: { show: true, position: 'right', fontSize: 11, color: '#111827' },
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 6,
          lineStyle: { color: '#6b7280', opacity: 0.7, curveness: 0.1 },
          data: nodes.map((node) => ({
            id: node.id,
            name: node.id,
            value: node.label,
            category: categories.indexOf(node.category),
            symbolSize: node.id === centre ? 30 : 16,
            label: { formatter: node.label, fontWeight: node.id === centre ? 'bold' : 'normal' },
          })),
          links: edges.map((edge) => ({
            source: edge.source,
            target: edge.target,
            value: edge.weight,
            lineStyle: { width: 1 + Math.max(0, Math.min(1, edge.weight)) * 5 },
            tooltip: {
              formatter: `${byId.get(edge.source)?.label ?? edge.source} ${edge.label} ${byId.get(edge.target)?.label ?? edge.target}: ${formatDecimal(edge.weight)}`,
            },
          })),
        },
      ],
    }),
    [nodes, edges, centre, categories, byId],
  );
  const name = (id: string) => byId.get(id)?.label ?? id;
  const endButton = (id: string) =>
    id === centre || !onSelect ? (
      name(id)
    ) : (
      <button type="button" className="button-quiet" onClick={() => onSelect(id)} aria-label={`Recentre on ${name(id)}`}>
        {name(id)}
      </button>
    );
  return (
    <div className="graph-view">
      <Chart
        option={option}
        label={label}
        height={height}
        onItemClick={(item) => {
          const data = item.data as { id?: string } | undefined;
          if (item.dataType === 'node' && data?.id && onSelect) onSelect(data.id);
        }}
      />
      <details>
        <summary>The graph as a table ({edges.length} edges)</summary>
        <div className="table-wrap">
          <table aria-label={`${label}, as edges`}>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Relation</th>
                <th scope="col">To</th>
                <th scope="col">Weight</th>
              </tr>
            </thead>
            <tbody>
              {edges.map((edge) => (
                <tr key={`${edge.source} ${edge.label} ${edge.target}`}>
                  <td>{endButton(edge.source)}</td>
                  <td>{edge.label}</td>
                  <td>{endButton(edge.target)}</td>
                  <td className="number">{formatDecimal(edge.weight)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

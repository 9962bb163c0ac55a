// The quantities a claim rests on (sample sizes, intervals, z, p-values,
// posteriors), by the names the API gives them: a recommendation, a breach or an
// escalation's review shows its evidence the same way everywhere.
import './evidence-list.css';
import { TableWrap } from '../../components/data-table.tsx';
export interface Evidence {
  name: string;
  value?: number | null;
  text?: string | null;
}

/** Four significant digits: a p-value of 0.00012 must not read as 0. */
export function formatEvidenceValue(item: Evidence): string {
  if (item.text != null) return item.text;
  if (item.value == null) return 'undefined';
  if (Number.isInteger(item.value)) return new Intl.NumberFormat('en').format(item.value);
  return String(Number(item.value.toPrecision(4)));
}

export function EvidenceList({ evidence, label }: { evidence: readonly Evidence[]; label: string }) {
  if (evidence.length === 0) return null;
  return (
    <details className="evidence">
      <summary>
        {label} ({evidence.length} figures)
      </summary>
      <TableWrap label={`${label}, scrollable`}>
        <table aria-label={label}>
          <thead>
            <tr>
              <th scope="col">Quantity</th>
              <th scope="col" className="number">
                Value
              </th>
            </tr>
          </thead>
          <tbody>
            {evidence.map((item) => (
              <tr key={item.name}>
                <td>
                  <code>{item.name}</code>
                </td>
                <td className="number">{formatEvidenceValue(item)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </details>
  );
}

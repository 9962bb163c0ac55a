// Placeholder until its page lands: replaced by the page's own work.
import { Page } from '../../components/page.tsx';

export default function LeadPage() {
  return <Page title="Lead">{null}</Page>;
}

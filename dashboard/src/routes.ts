// Every page of the dashboard by path. Baton serves index.html for each of these
// (src/dashboard/dashboard-pages.ts lists the same paths; a test checks they agree).
export const PAGES = {
  overview: '/',
  leads: '/leads',
  lead: '/leads/:id',
  escalations: '/escalations',
  campaigns: '/campaigns',
  campaign: '/campaigns/:id',
  handoffs: '/handoffs',
  memory: '/memory',
  signIn: '/sign-in',
} as const;

/** The path of one lead's or campaign's page. */
export const leadPath = (id: string) => `/leads/${encodeURIComponent(id)}`;
export const campaignPath = (id: string) => `/campaigns/${encodeURIComponent(id)}`;

/** The navigation, in order. */
export const NAVIGATION = [
  { path: PAGES.overview, label: 'Overview' },
  { path: PAGES.leads, label: 'Leads' },
  { path: PAGES.escalations, label: 'Escalations' },
  { path: PAGES.campaigns, label: 'Campaigns' },
  { path: PAGES.handoffs, label: 'Handoffs & agents' },
  { path: PAGES.memory, label: 'Memory' },
] as const;

// The dashboard's pages (dashboard/src/routes.ts), as router templates: Baton
// answers each with the dashboard's index.html, and the dashboard's own router
// shows the page. A test checks the two lists agree.
export const DASHBOARD_PAGES = ['/', '/sign-in', '/leads', '/leads/{id}', '/escalations', '/campaigns', '/campaigns/{id}', '/handoffs', '/memory'] as const;

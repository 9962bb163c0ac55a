import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { adoptTokenFromFragment } from './auth/token-store.ts';
import './styles.css';

adoptTokenFromFragment();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

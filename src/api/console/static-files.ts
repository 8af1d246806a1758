import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

// The console's pages and scripts, served from the files beside this module (src/api/console/static/): no CDN and no
// build step, so the console works offline and `npm start` (tsx runs src/ as it is) finds them. The Content Security
// Policy allows only the console's own scripts, styles and API calls; no inline script, no framing.

export const consoleStaticDir = fileURLToPath(new URL('./static/', import.meta.url));

const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function consoleStaticRouter(): Router {
  const r = Router();
  r.use('/console', (req, res, next) => {
    // /console → /console/ so the page's relative script paths resolve under /console/.
    if (req.originalUrl === '/console') return res.redirect(301, '/console/');
    res.set({
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    next();
  });
  r.use('/console', express.static(consoleStaticDir, { index: 'index.html', redirect: false, dotfiles: 'deny' }));
  return r;
}

import express from 'express';
import type { PayloadCodec } from '@temporalio/common';
import type { Store } from '../store';
import type { Config } from '../config';
import { authenticate } from './auth';
import { codecRoutes } from './codecServer';
import { healthRoutes, type HealthDeps } from './health';
import { idempotency } from './idempotency';
import { renderDocsPage } from './docsPage';
import { apiHeaders, htmlPageHeaders } from './securityHeaders';
import type { LifecycleClient } from './lifecycle';
import { openApiDocument } from './openapi';
import { pageRoutes } from './pages';
import { notFound, problemHandler } from './problem';
import { accessLogRoutes } from './routes/accessLog';
import { fundRoutes } from './routes/fund';
import { meetingRoutes } from './routes/meetings';
import { outboxRoutes } from './routes/outbox';
import { portfolioRoutes } from './routes/portfolio';
import { reportRoutes } from './routes/reports';
import { proposalRoutes } from './routes/proposals';
import { taskRoutes } from './routes/tasks';
import { userRoutes } from './routes/users';

export interface AppDeps {
  config: Config;
  store: Store;
  lifecycle: LifecycleClient;
  health: HealthDeps;
  /** Temporal's payload codec, for the Temporal UI's and CLI's codec endpoint. */
  codec: PayloadCodec;
}

export function createApp({ config, store, lifecycle, health, codec }: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  // Before the JSON parser: its bodies are histories' payloads, larger than the API's.
  app.use('/codec', codecRoutes({ config, store, codec }));
  app.use(express.json({ limit: '1mb', strict: true }));

  app.use('/api', apiHeaders);
  app.use('/api', healthRoutes(health));

  // The description of the API holds no data, so people may read it before they sign in.
  const doc = openApiDocument(config.publicUrl);
  app.get('/api/openapi.json', (_req, res) => void res.json(doc));
  app.get('/api/docs', htmlPageHeaders, (_req, res) => void res.type('html').send(renderDocsPage(doc)));

  const api = express.Router();
  api.use(authenticate(config, store));
  api.use(idempotency(store));
  api.use(proposalRoutes(config, store, lifecycle));
  api.use(taskRoutes(store, lifecycle));
  api.use(userRoutes(config, store, lifecycle));
  api.use(fundRoutes(config, store));
  api.use(reportRoutes(config, store, lifecycle));
  api.use(meetingRoutes(config, store, lifecycle));
  api.use(outboxRoutes(config, store));
  api.use(portfolioRoutes(store));
  api.use(accessLogRoutes(store));
  api.use(() => {
    throw notFound('route');
  });
  app.use('/api', api);
  // The pages for people: server-rendered HTML over the same store and Updates.
  app.use(pageRoutes({ config, store, lifecycle }));
  app.use(problemHandler);
  return app;
}

import express from 'express';
import type { PayloadCodec } from '@temporalio/common';
import type { Store } from '../store';
import type { Config } from '../config';
import { bearerToken, signedIn } from './auth';
import { codecRoutes } from './codecServer';
import { healthRoutes, type HealthDeps } from './health';
import { idempotency } from './idempotency';
import { apiHeaders } from './securityHeaders';
import { methodGuard, readAheadOf, routerOf } from './registry';
import { docsRoutes } from './routes/docs';
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
import { boundedNesting } from './jsonDepth';

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
  // The API's bodies only: the pages take forms, under the form parser's own limits.
  app.use('/api', express.json({ limit: '1mb', strict: true }), boundedNesting);

  app.use('/api', apiHeaders);

  // Every route of the API, declared once: Express runs them, and the OpenAPI document describes them.
  const open = [...healthRoutes(health), ...docsRoutes(() => doc)];
  const guarded = [
    ...proposalRoutes(config, store, lifecycle),
    ...taskRoutes(store, lifecycle),
    ...userRoutes(config, store, lifecycle),
    ...fundRoutes(config, store),
    ...reportRoutes(config, store, lifecycle),
    ...meetingRoutes(config, store, lifecycle),
    ...outboxRoutes(config, store),
    ...portfolioRoutes(store),
    ...accessLogRoutes(store),
  ];
  const routes = [...open, ...guarded];
  const doc = openApiDocument(config.publicUrl, routes);

  app.use('/api', methodGuard(routes));
  app.use('/api', routerOf(open));
  const api = express.Router();
  api.use(bearerToken(config, store));
  api.use(readAheadOf(guarded));
  api.use(idempotency(store));
  api.use(signedIn);
  api.use(routerOf(guarded));
  api.use(() => {
    throw notFound('route');
  });
  app.use('/api', api);
  // The pages for people: server-rendered HTML over the same store and Updates.
  app.use(pageRoutes({ config, store, lifecycle }));
  app.use(problemHandler);
  return { app, routes };
}

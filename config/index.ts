import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseDuration } from '../domain/durations';
import { isTaskListWord, languages, roles } from '../domain/people';
import type { DirectFinancingCeiling } from '../domain/directFinancing';
import { cvrNumber } from '../domain/organisation';
import { dkk } from '../domain/proposal';
import type { DeliverySettings } from '../domain/outbox';
import type { DeadlineSettings } from '../workflows/input';
import { parsePayloadKeys } from './payloadKeys';

const duration = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text);
  } catch (err) {
    ctx.issues.push({ code: 'custom', input: text, message: (err as Error).message });
    return z.NEVER;
  }
});

/** "10%" of the fund's capital (up to two decimals), or an amount in DKK. */
const directFinancingCeiling = z.union([
  z
    .string()
    .regex(/^\d{1,3}(\.\d{1,2})?\s*%$/)
    .refine((text) => parseFloat(text) > 0 && parseFloat(text) <= 100, 'a share above 0 and at most 100 %')
    .transform((text): DirectFinancingCeiling => ({ kind: 'share', basisPoints: Math.round(parseFloat(text) * 100) })),
  dkk.transform((ore): DirectFinancingCeiling => ({ kind: 'amount', ore })),
]);

const settingsSchema = z.strictObject({
  deadlines: z.strictObject({
    councilVote: duration,
    councilComposition: duration,
    councilAttestation: duration,
    mayoralApproval: duration,
    cooperationAgreement: duration,
    grantAgreement: duration,
    trancheConfirmation: duration,
    grantFinalReport: duration,
    awardDecision: duration,
    investorDecision: duration,
    contractSigning: duration,
    outcomeReport: duration,
    outcomeVerification: duration,
    savingsConfirmation: duration,
    contractFinalReport: duration,
    reportApproval: duration,
    reminderBefore: duration,
  }) satisfies z.ZodType<DeadlineSettings>,
  procurement: z
    .strictObject({
      /** Dated thresholds (tærskelværdier); the newest that has begun applies. */
      thresholds: z.array(z.strictObject({ from: z.iso.date(), lightRegime: dkk, services: dkk })).min(1),
      /** From publication to the deadline, in any unit ("30 days", "2 minutes"). */
      minimumTenderPeriod: duration.optional(),
      /** The older setting, whole days; still read so that existing settings files keep working. */
      minimumTenderDays: z.int().min(1).max(365).optional(),
      standstill: duration,
    })
    .check((ctx) => {
      const { minimumTenderPeriod, minimumTenderDays } = ctx.value;
      if ((minimumTenderPeriod === undefined) === (minimumTenderDays === undefined)) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          path: ['minimumTenderPeriod'],
          message: 'set minimumTenderPeriod (e.g. "30 days"), not both it and minimumTenderDays',
        });
      }
    })
    .transform(({ minimumTenderPeriod, minimumTenderDays, ...rest }) => ({ ...rest, minimumTenderMs: minimumTenderPeriod ?? minimumTenderDays! * 86_400_000 })),
  /** Direct financing: how much one proposal may ask of the fund, a share of its opening capital or an amount. None when absent. */
  directFinancing: z.strictObject({ ceiling: directFinancingCeiling }).optional(),
  /** Open Contracting: the ocid prefix is registered with the Open Contracting Partnership. */
  ocds: z.strictObject({
    ocidPrefix: z.string().regex(/^ocds-[a-z0-9]{6}$/),
    publisher: z.strictObject({ name: z.string().min(1), uri: z.url().optional() }),
    /** The municipality: its CVR number names it in every export. */
    buyer: z.strictObject({ name: z.string().min(1), cvr: cvrNumber }),
    fundName: z.string().min(1),
  }),
  /** When the yearly report is drafted: a date after the municipal accounts close. */
  annualReport: z.strictObject({ month: z.int().min(1).max(12), day: z.int().min(1).max(31), hour: z.int().min(0).max(23) }),
  /** Delivery of the outbox (e-mail and webhook), outside the cases' workflows. */
  notifications: z.strictObject({ pollEvery: duration, lease: duration, firstRetry: duration, maxRetryInterval: duration, giveUpAfter: duration }).optional() satisfies z.ZodType<
    DeliverySettings | undefined
  >,
  /** Cases whose workflow an operator closed in the Temporal UI or CLI (worker/reconciler.ts). */
  operators: z
    .strictObject({
      /** How often each worker compares the open cases with their workflows; also once at start. */
      reconcileEvery: duration,
      /** The secretariat's deadline to decide on a stopped case's reservation. */
      stoppedCaseReview: duration,
    })
    .optional(),
  /**
   * The council's meetings (workflows/councilMeeting.ts). `voting`: `async` opens the
   * members' vote tasks when a proposal is submitted, `meeting` when it is put on a
   * meeting's agenda. The agenda and its decision papers go out `agendaNotice` before the
   * meeting, the dialogue meeting's reminder `dialogueReminder` before it; the chair has
   * `minutesApproval` to approve the minutes, and the secretariat `minutesCorrection` to
   * record the meeting again when she returns them (7 days if not set).
   */
  council: z
    .strictObject({
      voting: z.enum(['async', 'meeting']),
      agendaNotice: duration,
      dialogueReminder: duration,
      minutesApproval: duration,
      minutesCorrection: duration.optional(),
    })
    .optional(),
  /** Personal data: how long the access log keeps who read what, and the outbox a delivered (or skipped) notification. */
  dataProtection: z.strictObject({ accessLogRetention: duration, outboxRetention: duration.optional() }).optional(),
  fund: z.strictObject({
    openingCapital: dkk,
    startDate: z.iso.date(),
    /** The seed's long-term balance: the fund must last at least ten years. */
    outlookYears: z.int().min(10).max(50),
  }),
});

const userSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9._-]+$/)
    .refine((id) => !isTaskListWord(id), 'me, anyone and pool are words of the task list, not names for a person'),
  name: z.string().min(1),
  email: z.email(),
  roles: z.array(z.enum(roles)).min(1),
  department: z.string().optional(),
  language: z.enum(languages).optional(),
});
export type SeedUser = z.infer<typeof userSchema>;

const peopleSchema = z.strictObject({
  departments: z.array(z.strictObject({ code: z.string().min(1), name: z.string().min(1) })).min(1),
  // One person an address: the codec endpoint knows a Temporal UI user by it (domain/roleChanges.ts).
  users: z.array(userSchema).refine((users) => new Set(users.map((u) => u.email.toLowerCase())).size === users.length, 'two people share an e-mail address'),
});

const optional = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** Each origin of a comma-separated list, as a browser sends it in `Origin`. */
const origins = z.string().transform((text, ctx) => {
  const list = text
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of list) {
    if (!URL.canParse(o) || new URL(o).origin !== o) ctx.issues.push({ code: 'custom', input: o, message: `${o} is not an origin (scheme://host[:port], no path)` });
  }
  return list;
});

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optional,
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('social-investment-fund'),
  TEMPORAL_API_KEY: optional,
  TEMPORAL_TLS: optional,
  TEMPORAL_TLS_CERT: optional,
  TEMPORAL_TLS_KEY: optional,
  TEMPORAL_UI_URL: z.string().default('http://localhost:8233'),
  /** Keys for workflow payloads: `<id>:<base64 of 32 bytes>`, the first encrypts (config/payloadKeys.ts). */
  PAYLOAD_KEYS: optional.pipe(
    z
      .string()
      .transform((text, ctx) => {
        try {
          return parsePayloadKeys(text);
        } catch (err) {
          ctx.issues.push({ code: 'custom', input: '(not shown)', message: (err as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
  ),
  /** Origins of the Temporal UI that may call the codec endpoint from the browser; default: TEMPORAL_UI_URL's. */
  CODEC_CORS_ORIGINS: optional.pipe(origins.optional()),
  /**
   * The Temporal UI's own sign-in, whose access tokens the UI passes to the codec endpoint
   * (Temporal Cloud: https://login.tmprl.cloud/.well-known/jwks.json); the token's e-mail claim names the user.
   */
  CODEC_JWKS_URL: optional.pipe(z.url().optional()),
  CODEC_TOKEN_ISSUER: optional,
  CODEC_TOKEN_AUDIENCE: optional,
  CODEC_EMAIL_CLAIM: z.string().default('email'),
  MONGODB_URI: z.string().default('mongodb://127.0.0.1:27017/'),
  MONGODB_DB: z.string().default('social-investment-fund'),
  /** smtp:// or smtps://, with a password's reserved characters (a / in a generated one) percent-encoded: checked here, not when the first mail goes. */
  SMTP_URL: optional.pipe(
    z
      .string()
      .refine((v) => URL.canParse(v) && /^smtps?:$/.test(new URL(v).protocol), 'must be an smtp:// or smtps:// URL, its password percent-encoded')
      .optional(),
  ),
  MAIL_FROM: z.string().default('Den Sociale Investeringsfond <noreply@example.dk>'),
  WEBHOOK_URL: optional,
  WEBHOOK_SECRET: optional,
  AUTH_JWT_SECRET: optional,
  AUTH_JWKS_URL: optional,
  AUTH_ISSUER: optional,
  AUTH_AUDIENCE: optional,
  /** Sign-in to the pages in production: OpenID Connect code flow with PKCE. */
  OIDC_ISSUER_URL: optional.pipe(z.url().optional()),
  OIDC_CLIENT_ID: optional,
  OIDC_CLIENT_SECRET: optional,
  OIDC_SCOPES: optional,
  /** The sign-in page that lists the seeded users, no password: only for local runs (`npm start` turns it on). */
  LOCAL_SIGN_IN: optional.pipe(z.enum(['true', 'false']).optional()),
  NODE_ENV: optional,
  /** The pages' sessions end after this long without a request, and this long after sign-in whatever happens. */
  SESSION_IDLE_TIMEOUT: optional.transform((v) => v ?? '30 minutes').pipe(duration),
  SESSION_ABSOLUTE_TIMEOUT: optional.transform((v) => v ?? '8 hours').pipe(duration),
  SIF_SETTINGS: optional,
  SIF_PEOPLE: optional,
  /**
   * The worker's memory grows with its cache of workflows (about 0.13 MiB of heap for a
   * draft, more for a case further along); the defaults fit a 2-core, 4 GiB container
   * (npm run bench:memory).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(200),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).default(20),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1000).default(20),
});

/** For settings files written before the outbox had its own delivery. */
const defaultDelivery: DeliverySettings = {
  pollEvery: parseDuration('5 seconds'),
  lease: parseDuration('15 minutes'),
  firstRetry: parseDuration('1 minute'),
  maxRetryInterval: parseDuration('6 hours'),
  giveUpAfter: parseDuration('3 days'),
};

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function parseOrExplain<T extends z.ZodType>(schema: T, value: unknown, source: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`Configuration error in ${source}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** Whether an address is served over https, its scheme written in any case (`HTTPS://…` is https too): the pages' cookies are then Secure. */
export const saysHttps = (url: string | undefined) => /^https:/i.test(url?.trim() ?? '');

/**
 * What marks a deployment as more than a local run: there, signing in by choosing a
 * user without a password must never be possible, whatever else is configured.
 */
export function productionSigns(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => !!env[name]?.trim();
  return [
    ...(env.NODE_ENV?.trim() === 'production' ? ['NODE_ENV=production'] : []),
    ...(saysHttps(env.PUBLIC_URL) ? ['an https PUBLIC_URL'] : []),
    ...(set('OIDC_ISSUER_URL') ? ['OIDC_ISSUER_URL'] : []),
    ...(set('AUTH_JWKS_URL') ? ['AUTH_JWKS_URL'] : []),
  ];
}

/** The process a configuration is for: each needs its own settings in production. Unnamed (tests, `npm start`), both. */
export type ProcessRole = 'api' | 'worker';

/**
 * What a production deployment (`NODE_ENV=production`) lacks, each with why it is needed:
 * the process refuses to start without it, rather than run with defaults meant for a
 * local run. The worker tells approvers of their tasks, by mail or webhook, with links to
 * where they act. People sign in to the API's pages through the municipality's identity
 * provider, and the API takes its tokens, never ones made with a shared secret that could
 * sign for anyone.
 */
export function productionGaps(env: NodeJS.ProcessEnv, role?: ProcessRole): string[] {
  if (env.NODE_ENV?.trim() !== 'production') return [];
  const set = (name: string) => !!env[name]?.trim();
  const publicUrl = env.PUBLIC_URL?.trim() ?? '';
  const https = saysHttps(publicUrl) && URL.canParse(publicUrl) && new URL(publicUrl).hostname !== '';
  const api = role !== 'worker';
  const worker = role !== 'api';
  return [
    ...(worker && !set('SMTP_URL') && !set('WEBHOOK_URL') ? ['SMTP_URL or WEBHOOK_URL (without one no notification is ever delivered)'] : []),
    ...(https ? [] : ['an https PUBLIC_URL (the links in mails, and Secure session cookies)']),
    ...(api && !set('OIDC_ISSUER_URL') ? ['OIDC_ISSUER_URL (signing in to the pages)'] : []),
    ...(api && !set('AUTH_JWKS_URL') ? ["AUTH_JWKS_URL (the API's bearer tokens from the identity provider; AUTH_JWT_SECRET is for local runs)"] : []),
  ];
}

/** Everything the processes need, read once from the environment and the JSON files it names. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, role?: ProcessRole) {
  const e = parseOrExplain(envSchema, env, 'the environment');
  const settingsFile = e.SIF_SETTINGS ?? resolve(__dirname, 'settings.json');
  const peopleFile = e.SIF_PEOPLE ?? resolve(__dirname, 'people.json');
  const settings = parseOrExplain(settingsSchema, readJson(settingsFile), settingsFile);
  const people = parseOrExplain(peopleSchema, readJson(peopleFile), peopleFile);
  const localSignIn = e.LOCAL_SIGN_IN === 'true';
  const production = productionSigns(env);
  if (localSignIn && production.length > 0) {
    throw new Error(
      `Configuration error: LOCAL_SIGN_IN=true lets anyone sign in as anyone without a password, and these settings are production-like (${production.join(', ')}). Remove LOCAL_SIGN_IN; people sign in through OIDC_ISSUER_URL.`,
    );
  }
  // Everything production lacks at once, so one restart is enough.
  const gaps = productionGaps(env, role);
  if (gaps.length) throw new Error(`Configuration error: NODE_ENV=production, and it lacks ${gaps.join('; ')}`);
  if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) throw new Error('Configuration error: WEBHOOK_URL needs WEBHOOK_SECRET to sign payloads');
  if (e.OIDC_ISSUER_URL && (!e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET)) {
    throw new Error('Configuration error: OIDC_ISSUER_URL needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  }
  // The worker verifies no token.
  if (role !== 'worker' && !e.AUTH_JWT_SECRET && !e.AUTH_JWKS_URL) {
    throw new Error('Configuration error: set AUTH_JWKS_URL (OIDC, production) or AUTH_JWT_SECRET (local runs)');
  }
  // One identity provider signs for every application of the municipality: without the audience, a token it issued to another one would be taken here.
  if (e.AUTH_JWKS_URL && !e.AUTH_AUDIENCE) {
    throw new Error("Configuration error: AUTH_JWKS_URL needs AUTH_AUDIENCE, this application's client id at the identity provider (the tokens' aud)");
  }
  if (e.SESSION_IDLE_TIMEOUT > e.SESSION_ABSOLUTE_TIMEOUT) {
    throw new Error('Configuration error: SESSION_IDLE_TIMEOUT must not be longer than SESSION_ABSOLUTE_TIMEOUT');
  }
  return {
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: e.TEMPORAL_TLS === 'true' || !!e.TEMPORAL_TLS_CERT || !!e.TEMPORAL_API_KEY,
      tlsCertFile: e.TEMPORAL_TLS_CERT,
      tlsKeyFile: e.TEMPORAL_TLS_KEY,
      uiUrl: e.TEMPORAL_UI_URL,
      payloadKeys: e.PAYLOAD_KEYS,
    },
    codec: {
      corsOrigins: e.CODEC_CORS_ORIGINS ?? (URL.canParse(e.TEMPORAL_UI_URL) ? [new URL(e.TEMPORAL_UI_URL).origin] : []),
      uiTokens: e.CODEC_JWKS_URL ? { jwksUrl: e.CODEC_JWKS_URL, issuer: e.CODEC_TOKEN_ISSUER, audience: e.CODEC_TOKEN_AUDIENCE, emailClaim: e.CODEC_EMAIL_CLAIM } : undefined,
    },
    mongo: { uri: e.MONGODB_URI, db: e.MONGODB_DB },
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    webhook: e.WEBHOOK_URL ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET! } : undefined,
    auth: { jwtSecret: e.AUTH_JWT_SECRET, jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE, localSignIn },
    sessions: { idleMs: e.SESSION_IDLE_TIMEOUT, absoluteMs: e.SESSION_ABSOLUTE_TIMEOUT },
    oidc: e.OIDC_ISSUER_URL ? { issuer: e.OIDC_ISSUER_URL, clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET!, scopes: e.OIDC_SCOPES ?? 'openid' } : undefined,
    deadlines: settings.deadlines,
    procurement: settings.procurement,
    directFinancing: settings.directFinancing,
    ocds: settings.ocds,
    annualReport: settings.annualReport,
    fund: settings.fund,
    notifications: settings.notifications ?? defaultDelivery,
    operators: settings.operators ?? { reconcileEvery: parseDuration('1 minute'), stoppedCaseReview: parseDuration('14 days') },
    dataProtection: {
      accessLogRetention: settings.dataProtection?.accessLogRetention ?? parseDuration('180 days'),
      outboxRetention: settings.dataProtection?.outboxRetention ?? parseDuration('90 days'),
    },
    council: {
      voting: 'async' as const,
      agendaNotice: parseDuration('5 days'),
      dialogueReminder: parseDuration('14 days'),
      minutesApproval: parseDuration('14 days'),
      ...settings.council,
      minutesCorrection: settings.council?.minutesCorrection ?? parseDuration('7 days'),
    },
    people,
  };
}
export type Config = ReturnType<typeof loadConfig>;

import { createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import fastifyStatic from '@fastify/static';
import {
  type ArtifactLayout,
  idSchema,
  QUEUES,
  reportJobId,
  SweepRegistry,
  type SweepStatus,
  SweepStatusReader,
} from '@repo/contracts';
import {
  ASSETS_DIR,
  CHART_JS_DIR,
  LEADERBOARD_PAGE_SIZE,
  type LoadedReport,
  listSweepsFromArtifacts,
  loadComparison,
  loadReport,
  type PageAssets,
  type ReportSummary,
  readReportSummary,
  renderLeaderboardRows,
  renderQueuedPage,
  renderRunDetail,
  renderRunRows,
  renderSweepContent,
  renderSweepPage,
  renderSweepsContent,
  renderSweepsPage,
  reportFingerprint,
  type SweepListEntry,
  SweepNotFoundError,
} from '@repo/report-view';
import { Queue } from 'bullmq';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { reaggregate } from './reporter-worker.js';

export interface ReportServerDeps {
  /** A connection for reads (status, Bull Board); stays the caller's. */
  connection: Redis;
  /** BullMQ key prefix, as the producers use. */
  prefix: string;
  layout: ArtifactLayout;
  /** Where failed requests are logged; default nowhere. */
  logger?: Logger;
}

const LINKED: PageAssets = { mode: 'linked', base: '/assets/' };

/**
 * Our pages load scripts and styles from this origin only; images may be inline data (the sample
 * test images). Bull Board's pages under /queues bring their own policy.
 */
const PAGE_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The reporter's web app: the sweeps list (`/`), a report page per sweep (`/sweeps/:id`, its content
 * at `/sweeps/:id/content` for live refresh, JSON at `/api/sweeps[/:id]`), the sweep directories'
 * files read-only (`/artifacts/:id/…`), chart assets from node_modules (`/assets/…`), Bull Board
 * read-only at `/queues`, and one action: `POST /sweeps/:id/reaggregate` (JSON only).
 */
export async function createReportServer(deps: ReportServerDeps): Promise<FastifyInstance> {
  // No request log: a page polling every few seconds would flood it; failures are logged below.
  const app = Fastify();
  const status = new SweepStatusReader(deps.connection, deps.prefix);
  const queues = Object.values(QUEUES).map((name) =>
    new Queue(name, { connection: deps.connection, prefix: deps.prefix }).on('error', () => {}),
  );
  app.addHook('onClose', async () => {
    await status.close();
    await Promise.all(queues.map((queue) => queue.close()));
  });

  await app.register(fastifyStatic, { root: [ASSETS_DIR, CHART_JS_DIR], prefix: '/assets/', index: false });
  await app.register(fastifyStatic, {
    root: `${deps.layout.root}/sweeps`,
    prefix: '/artifacts/',
    decorateReply: false,
    index: false,
    dotfiles: 'deny',
  });
  const board = new FastifyAdapter();
  board.setBasePath('/queues');
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter: board,
  });
  await app.register(board.registerPlugin(), { prefix: '/queues' });

  const registry = new SweepRegistry(deps.connection, deps.prefix);
  const reportQueue = queues.find((queue) => queue.name === QUEUES.report)!;
  /** A reported sweep's list entry comes from its written summary; only unreported ones need their full status. */
  const sweepList = async (): Promise<SweepListEntry[]> => {
    const ids = await registry.list({ limit: 100 });
    const fromRedis = (
      await Promise.all(
        ids.map(async (sweepId) => {
          if ((await reportQueue.getJobState(reportJobId(sweepId))) === 'completed') {
            const summary = await readReportSummary(deps.layout, sweepId);
            const info = summary && (await registry.get(sweepId));
            if (summary && info) return summaryEntry(summary, info.createdAt);
          }
          const current = await status.status(sweepId);
          return current ? listEntry(current) : undefined;
        }),
      )
    ).filter((entry): entry is SweepListEntry => entry !== undefined);
    const known = new Set(fromRedis.map((entry) => entry.sweepId));
    const fromFiles = (await listSweepsFromArtifacts(deps.layout)).filter(
      (entry) => !known.has(entry.sweepId),
    );
    return [...fromRedis, ...fromFiles];
  };
  // One loaded report per sweep, kept while its files are unchanged: a page polling a finished or
  // running sweep costs a stat per trial, not a re-read of every record.
  const cache = new Map<string, { fingerprint: string; report: LoadedReport }>();
  const sweepReport = async (sweepId: string): Promise<LoadedReport> => {
    const reported = (await reportQueue.getJobState(reportJobId(sweepId))) === 'completed';
    const current = reported ? undefined : await status.status(sweepId);
    const fingerprint = `${current?.state ?? ''}:${current?.counts.total ?? ''}:${await reportFingerprint(deps.layout, sweepId)}`;
    const cached = cache.get(sweepId);
    if (cached?.fingerprint === fingerprint) return cached.report;
    try {
      const report = await loadReport(deps.layout, sweepId, {
        ...(current ? { state: current.state, trials: current.counts.total } : {}),
      });
      cache.set(sweepId, { fingerprint, report });
      return report;
    } catch (error) {
      // Enqueued, but no trial has written anything yet: a page that says so, not a 404.
      const known =
        error instanceof SweepNotFoundError ? (current ?? (await status.status(sweepId))) : undefined;
      if (known) {
        const { name } = known.sweep;
        throw new SweepQueuedError(sweepId, {
          sweepId,
          name,
          state: known.state,
          trials: known.counts.total,
        });
      }
      throw error;
    }
  };
  const html = (reply: FastifyReply, body: string) =>
    reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(body);
  /** Sends `body` with an ETag; a poll whose If-None-Match matches gets 304 and no body. */
  const fresh = (request: FastifyRequest, reply: FastifyReply, body: string) => {
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return html(reply, body);
  };
  const page = (request: FastifyRequest<{ Querystring: { page?: string } }>) => {
    const value = Number(request.query.page ?? '1');
    if (!Number.isInteger(value) || value < 1) throw new BadIdError('page must be a whole number from 1');
    return value;
  };

  app.get('/', async (_request, reply) =>
    html(reply, renderSweepsPage(await sweepList(), LINKED, '/content')),
  );
  app.get('/content', async (request, reply) =>
    fresh(request, reply, renderSweepsContent(await sweepList())),
  );
  app.get('/api/sweeps', async () => sweepList());

  app.get<{ Params: { sweepId: string } }>('/sweeps/:sweepId', async (request, reply) => {
    const sweepId = checkId(request.params.sweepId);
    try {
      const { summary } = await sweepReport(sweepId);
      return html(reply, renderSweepPage(summary, { assets: LINKED, ...pageLinks(sweepId) }));
    } catch (error) {
      if (!(error instanceof SweepQueuedError)) throw error;
      return html(reply, renderQueuedPage(error.summary, { assets: LINKED, ...pageLinks(sweepId) }));
    }
  });
  app.get<{ Params: { sweepId: string } }>('/sweeps/:sweepId/content', async (request, reply) => {
    const sweepId = checkId(request.params.sweepId);
    const { summary } = await sweepReport(sweepId);
    return fresh(request, reply, renderSweepContent(summary, pageLinks(sweepId)));
  });
  app.get<{ Params: { sweepId: string }; Querystring: { page?: string } }>(
    '/sweeps/:sweepId/runs',
    async (request, reply) => {
      const { summary } = await sweepReport(checkId(request.params.sweepId));
      return html(reply, renderRunRows(summary, page(request)));
    },
  );
  app.get<{ Params: { sweepId: string }; Querystring: { page?: string } }>(
    '/sweeps/:sweepId/leaderboard',
    async (request, reply) => {
      const { summary } = await sweepReport(checkId(request.params.sweepId));
      return html(
        reply,
        renderLeaderboardRows(summary, (page(request) - 1) * LEADERBOARD_PAGE_SIZE, LEADERBOARD_PAGE_SIZE),
      );
    },
  );
  app.get<{ Params: { sweepId: string; trialId: string } }>(
    '/sweeps/:sweepId/runs/:trialId',
    async (request, reply) => {
      const report = await sweepReport(checkId(request.params.sweepId));
      const trialId = checkId(request.params.trialId);
      const index = report.summary.runs.rows.findIndex((row) => row.trialId === trialId);
      const details =
        index < 0 ? undefined : await report.runDetails(Math.floor(index / report.summary.runs.pageSize) + 1);
      const run = details?.runs.find((entry) => entry.trialId === trialId);
      if (!details || !run)
        return reply.code(404).send({ message: `no completed run ${trialId} in this sweep` });
      return html(reply, renderRunDetail(run, report.summary, details.samples));
    },
  );
  app.get<{ Params: { sweepId: string } }>(
    '/api/sweeps/:sweepId',
    async (request) => (await sweepReport(checkId(request.params.sweepId))).summary,
  );
  app.get<{ Params: { sweepId: string }; Querystring: { page?: string } }>(
    '/api/sweeps/:sweepId/runs',
    async (request, reply) => {
      const details = await (await sweepReport(checkId(request.params.sweepId))).runDetails(page(request));
      return details ?? reply.code(404).send({ message: 'no such page of runs' });
    },
  );
  app.post<{ Params: { sweepId: string } }>('/sweeps/:sweepId/reaggregate', async (request, reply) => {
    // JSON only: a cross-site form or a text/plain "simple" request cannot trigger it without a CORS preflight, which this server never grants.
    if (!request.headers['content-type']?.startsWith('application/json')) {
      return reply.code(415).send({ message: 'send the re-aggregate request as application/json' });
    }
    const sweepId = checkId(request.params.sweepId);
    try {
      return await reaggregate(sweepId, deps);
    } catch (error) {
      if ((error as Error).message.startsWith(`no sweep ${sweepId}`))
        throw new SweepNotFoundError(sweepId, '');
      throw error;
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof SweepQueuedError)
      return reply.code(404).send({
        message: `sweep ${error.sweepId} is ${error.summary.state}: no trial has written a record yet`,
      });
    if (error instanceof SweepNotFoundError)
      return reply.code(404).send({ message: `no sweep ${error.sweepId}` });
    if (error instanceof BadIdError) return reply.code(400).send({ message: error.message });
    const code = error.statusCode ?? 500;
    if (code >= 500) deps.logger?.error({ err: error }, 'request failed');
    return reply
      .code(code)
      .send({ message: code >= 500 ? 'internal error (see the server log)' : error.message });
  });
  return app;
}

/** A path segment that is not a sweep id (so it can never name a path outside the artifact tree). */
class BadIdError extends Error {
  override readonly name = 'BadIdError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_BAD_ID';
}

/** A sweep the queues know that has nothing on disk yet. */
class SweepQueuedError extends Error {
  override readonly name = 'SweepQueuedError';
  constructor(
    readonly sweepId: string,
    readonly summary: { sweepId: string; name: string; state: string; trials: number },
  ) {
    super(`sweep ${sweepId} has no trial on disk yet`);
  }
}

function checkId(sweepId: string): string {
  if (!idSchema.safeParse(sweepId).success)
    throw new BadIdError('a sweep id holds letters, digits, "-" and "_" only');
  return sweepId;
}

function pageLinks(sweepId: string) {
  const base = `/sweeps/${encodeURIComponent(sweepId)}`;
  return {
    links: true,
    refreshUrl: `${base}/content`,
    reaggregateUrl: `${base}/reaggregate`,
    fetchBase: base,
  };
}

function summaryEntry(summary: ReportSummary, createdAt: string): SweepListEntry {
  const best = summary.best.find((figure) => figure.metric === summary.objective.metric);
  return {
    sweepId: summary.sweepId,
    name: summary.name,
    state: summary.state,
    trials: summary.counts.trials,
    done: summary.counts.completed + summary.counts.stopped,
    failed: summary.counts.failed,
    createdAt,
    ...(best ? { best: { metric: best.metric, split: best.split, value: best.value } } : {}),
  };
}

/** A sweep not reported yet: its best is the best validation figure of a completed trial so far. */
function listEntry(status: SweepStatus): SweepListEntry {
  return {
    sweepId: status.sweep.sweepId,
    name: status.sweep.name,
    state: status.state,
    trials: status.counts.total,
    done: status.counts.done,
    failed: status.counts.failed,
    createdAt: status.sweep.createdAt,
    ...(status.best
      ? { best: { metric: status.objective.metric, split: 'val', value: status.best.value } }
      : {}),
  };
}

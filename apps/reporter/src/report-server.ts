import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import fastifyStatic from '@fastify/static';
import { type ArtifactLayout, idSchema, QUEUES, SweepStatusReader, type SweepSummary } from '@repo/contracts';
import {
  ASSETS_DIR,
  CHART_JS_DIR,
  listSweepsFromArtifacts,
  loadSweepView,
  type PageAssets,
  renderSweepContent,
  renderSweepPage,
  renderSweepsContent,
  renderSweepsPage,
  type SweepListEntry,
  SweepNotFoundError,
} from '@repo/report-view';
import { Queue } from 'bullmq';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
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

  const sweepList = async (): Promise<SweepListEntry[]> => {
    const fromRedis = (await status.listSweeps({ limit: 100 })).map(listEntry);
    const known = new Set(fromRedis.map((entry) => entry.sweepId));
    const fromFiles = (await listSweepsFromArtifacts(deps.layout)).filter(
      (entry) => !known.has(entry.sweepId),
    );
    return [...fromRedis, ...fromFiles];
  };
  const sweepView = async (sweepId: string) => {
    const current = await status.status(sweepId);
    return loadSweepView(deps.layout, sweepId, {
      ...(current ? { state: current.state, trials: current.counts.total } : {}),
    });
  };
  const html = (reply: FastifyReply, body: string) =>
    reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(body);

  app.get('/', async (_request, reply) =>
    html(reply, renderSweepsPage(await sweepList(), LINKED, '/content')),
  );
  app.get('/content', async (_request, reply) => html(reply, renderSweepsContent(await sweepList())));
  app.get('/api/sweeps', async () => sweepList());

  app.get<{ Params: { sweepId: string } }>('/sweeps/:sweepId', async (request, reply) => {
    const sweepId = checkId(request.params.sweepId);
    const view = await sweepView(sweepId);
    return html(reply, renderSweepPage(view, { assets: LINKED, ...pageLinks(sweepId) }));
  });
  app.get<{ Params: { sweepId: string } }>('/sweeps/:sweepId/content', async (request, reply) => {
    const sweepId = checkId(request.params.sweepId);
    return html(reply, renderSweepContent(await sweepView(sweepId), pageLinks(sweepId)));
  });
  app.get<{ Params: { sweepId: string } }>('/api/sweeps/:sweepId', async (request) =>
    sweepView(checkId(request.params.sweepId)),
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
}

function checkId(sweepId: string): string {
  if (!idSchema.safeParse(sweepId).success)
    throw new BadIdError('a sweep id holds letters, digits, "-" and "_" only');
  return sweepId;
}

function pageLinks(sweepId: string) {
  const base = `/sweeps/${encodeURIComponent(sweepId)}`;
  return { links: true, refreshUrl: `${base}/content`, reaggregateUrl: `${base}/reaggregate` };
}

function listEntry(summary: SweepSummary): SweepListEntry {
  return {
    sweepId: summary.sweepId,
    name: summary.name,
    state: summary.state,
    trials: summary.counts.total,
    done: summary.counts.done,
    failed: summary.counts.failed,
    createdAt: summary.createdAt,
    ...(summary.best ? { best: { metric: 'objective', value: summary.best.value } } : {}),
  };
}

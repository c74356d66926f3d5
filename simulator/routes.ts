// The API's endpoints, as functions of a parsed request; the same table serves both bases.
import { createInput, isObject, patchInput, replaceInput } from './bodies.js';
import { ApiError } from './errors.js';
import { renderDefinition, renderInstallation, renderPackage } from './shapes.js';
import type { EnvKey, Store } from './store.js';

export interface Reply {
  status: number;
  /** An object is sent as JSON, a string as plain text. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiRequest {
  /** The environment the request came through: the target of pre-runs and installations. */
  env: EnvKey;
  /** Came through the older base `/environment-promotion/v1`. */
  legacy: boolean;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  /** Added to the assembly or installation this request starts (fault `slow-assembly` / `slow-install`). */
  extraDelayMs: number;
}

type Handler = (store: Store, request: ApiRequest) => Reply;

export interface Route {
  pattern: RegExp;
  methods: Readonly<Record<string, Handler>>;
}

const ok = (body: unknown, status = 200): Reply => ({ status, body });

function emptyBody(request: ApiRequest): void {
  if (request.body !== undefined && !isObject(request.body))
    throw new ApiError(400, 'expected an empty JSON object {}');
}

export const API_ROUTES: readonly Route[] = [
  {
    pattern: /^\/packages\/?$/,
    methods: {
      GET: (store, { legacy }) =>
        ok({ data: store.listedPackages().map((pkg) => renderPackage(store, pkg, 'listed', legacy)) }),
      POST: (store, request) => {
        const pkg = store.createPackage(
          createInput(request.body, request.legacy),
          request.env,
          request.extraDelayMs,
        );
        return ok({ data: renderPackage(store, pkg, 'created', request.legacy) });
      },
    },
  },
  {
    pattern: /^\/packages\/([^/]+)\/?$/,
    methods: {
      GET: (store, { params, legacy }) =>
        ok({ data: renderPackage(store, store.getPackage(params[0]), 'full', legacy) }),
      PUT: (store, request) => {
        const pkg = store.getPackage(request.params[0]);
        store.updatePackage(pkg, replaceInput(request.body, request.legacy), request.extraDelayMs);
        return ok({ data: renderPackage(store, pkg, 'replaced', request.legacy) });
      },
      PATCH: (store, request) => {
        const pkg = store.getPackage(request.params[0]);
        store.updatePackage(pkg, patchInput(request.body, request.legacy), request.extraDelayMs);
        return ok({ data: renderPackage(store, pkg, 'full', request.legacy) });
      },
      DELETE: (store, { params }) => {
        store.deletePackage(params[0]);
        return ok('Deleted');
      },
    },
  },
  {
    pattern: /^\/packages\/([^/]+)\/definition\/?$/,
    methods: { GET: (store, { params }) => ok(renderDefinition(store.getPackage(params[0]))) },
  },
  {
    pattern: /^\/packages\/([^/]+)\/prepare-installation\/?$/,
    methods: {
      POST: (store, request) => {
        emptyBody(request);
        const installation = store.prepare(store.getPackage(request.params[0]), request.env);
        return ok(renderInstallation(store, installation));
      },
    },
  },
  {
    pattern: /^\/packages\/([^/]+)\/translation-map\/?$/,
    methods: {
      POST: (store, { params, env }) => {
        const pkg = store.getPackage(params[0]);
        store.checkInstallable(pkg, env);
        return ok(store.translationMap(pkg, env), 202);
      },
    },
  },
  {
    pattern: /^\/packages\/([^/]+)\/install\/?$/,
    methods: {
      POST: (store, request) => {
        if (!isObject(request.body))
          throw new ApiError(400, 'expected a JSON object {"translationMap": {…}}');
        const pkg = store.getPackage(request.params[0]);
        const installation = store.installWithMap(
          pkg,
          request.body.translationMap,
          request.env,
          request.extraDelayMs,
        );
        return ok(installation.id, 202);
      },
    },
  },
  {
    pattern: /^\/installations\/?$/,
    methods: {
      GET: (store, { query }) => {
        const packageId = query.get('environmentPromotionPackageId');
        if (!packageId)
          throw new ApiError(400, 'the query parameter environmentPromotionPackageId is required');
        return ok(
          store.installationsOf(packageId).map((installation) => renderInstallation(store, installation)),
        );
      },
    },
  },
  {
    pattern: /^\/installations\/([^/]+)\/?$/,
    methods: { GET: (store, { params }) => ok(renderInstallation(store, store.getInstallation(params[0]))) },
  },
  {
    pattern: /^\/installations\/([^/]+)\/install\/?$/,
    methods: {
      POST: (store, request) => {
        emptyBody(request);
        store.installPrepared(store.getInstallation(request.params[0]), request.env, request.extraDelayMs);
        return ok({}, store.settings.installAnswerStatus);
      },
    },
  },
];

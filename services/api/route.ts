// One route of the API as data: method, path, who may call it, its schemas and its handler.
// The app registers these with fastify and the OpenAPI document is generated from the same
// objects, so a route cannot exist without its schema and access rule.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IsochronError } from '../core/errors.ts';
import type { Principal, Role } from '../core/tenancy/types.ts';
import type { JsonSchema } from './schemas.ts';

/** 'public': no credential (health and the API description); else the roles allowed. */
export type Access = 'public' | readonly Role[];

export interface RouteSchema {
  readonly params?: JsonSchema;
  readonly querystring?: JsonSchema;
  readonly body?: JsonSchema;
  /** JSON answers by status (fastify serializes with them: properties not declared are dropped). */
  readonly response: Readonly<Record<number, JsonSchema>>;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** fastify syntax (/v1/profiles/:profileId). */
  readonly url: string;
  readonly access: Access;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly schema: RouteSchema;
  /** A non-JSON success answer (text/csv, text/html): its status and media type. */
  readonly produces?: { readonly status: number; readonly mediaType: string; readonly description: string; readonly schema?: JsonSchema };
  readonly handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook for every non-public route before any handler runs. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export function principalOf(req: FastifyRequest): Principal {
  if (req.principal === null) throw new IsochronError('AUTH_MISSING', 'no credential on this request');
  return req.principal;
}

/**
 * The enterprise of a viewer (or ingest) credential: the only source of the enterprise filter in
 * enterprise-scoped routes. A credential without one (auditor, admin) is refused here as well as
 * by the route's access list.
 */
export function credentialEnterprise(req: FastifyRequest): string {
  const p = principalOf(req);
  if (p.enterpriseId === null || p.enterpriseId === '') throw new IsochronError('AUTH_FORBIDDEN', `a ${p.role} key is not bound to one enterprise; use the programme routes`);
  return p.enterpriseId;
}

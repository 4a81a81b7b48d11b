/**
 * How the canister class declares its methods: `@method('submit')` takes the method's Candid
 * signature from the contract (`registry.did`, generated into @repro-registry/registry-api), so
 * the canister exports exactly the contract's interface, and TypeScript checks each handler
 * against the contract's argument and reply types.
 *
 * Handlers decode their own arguments (azle's `manual` mode), so a malformed Candid argument is
 * answered with INVALID_ARGUMENT — an `Err` where the method returns a result, a reject
 * otherwise — instead of a trap inside the Candid decoder; replies go through the fast encoder.
 */
import { IDL, msgArgData, msgReject, msgReply, query, update } from 'azle';
import {
  ErrorCode,
  methodType,
  type MethodArgs,
  type MethodName,
  type MethodReply,
} from '@repro-registry/registry-api';

import type { RegistryError } from './core/errors';
import { encodeReply, prepareReplyTypes, type Encodable } from './reply-encoder';

/** A refusal of a method whose reply type has no `Err`: answered as a reject "CODE: message". */
export class CodedRefusal extends Error {
  constructor(readonly error: RegistryError) {
    super(`${error.code}: ${error.message}`);
  }
}

type Handler<This, M extends MethodName> = (
  this: This,
  ...args: MethodArgs<M>
) => Encodable<MethodReply<M>> | Promise<Encodable<MethodReply<M>>>;

const replyTypes = new Set<IDL.Type>();

/** Computes every reply type's header once (call from init and post_upgrade). */
export function prepareReplies(): void {
  prepareReplyTypes(replyTypes);
}

/** A method's argument bytes decoded by the contract's types; throws when they are not Candid. */
export function decodeArgs<M extends MethodName>(name: M, bytes: Uint8Array): MethodArgs<M> {
  return IDL.decode(methodType(name).argTypes, bytes) as MethodArgs<M>;
}

export function method<M extends MethodName>(name: M) {
  const func = methodType(name);
  const argTypes = func.argTypes;
  const returnType = func.retTypes[0];
  if (returnType === undefined || func.retTypes.length !== 1)
    throw new Error(`${name}: the registry's methods answer exactly one value`);
  replyTypes.add(returnType);
  const decorate = func.annotations.includes('query') ? query : update;
  const azleDecorator = decorate(argTypes, returnType, { manual: true });
  const resultShaped =
    returnType instanceof IDL.VariantClass && returnType._fields.some(([n]) => n === 'Err');
  return <This>(original: Handler<This, M>, context: ClassMethodDecoratorContext<This>) => {
    if (context.name !== name)
      throw new Error(`@method('${name}') decorates ${String(context.name)}`);
    async function handler(this: This): Promise<void> {
      let args: MethodArgs<M>;
      try {
        args = decodeArgs(name, msgArgData());
      } catch (e) {
        const message = `the argument is not valid Candid for this method: ${e instanceof Error ? e.message : String(e)}`;
        if (!resultShaped) return msgReject(`${ErrorCode.INVALID_ARGUMENT}: ${message}`);
        return msgReply(
          encodeReply(returnType, { Err: { code: ErrorCode.INVALID_ARGUMENT, message } }),
        );
      }
      // Updates may await calls to other canisters (governance); azle awaits this handler.
      let value: Encodable<MethodReply<M>>;
      try {
        value = await original.apply(this, args);
      } catch (e) {
        if (e instanceof CodedRefusal) return msgReject(e.message);
        throw e;
      }
      msgReply(encodeReply(returnType!, value));
    }
    azleDecorator(handler as never, context as never);
  };
}

/**
 * A method that decodes its argument and replies by itself (`http_request`: the gateway codec
 * of @repro-registry/certification costs well under 1 M instructions where `IDL.decode` and the
 * reply encoder cost several M), still declared with the contract's Candid signature.
 */
export function rawMethod<M extends MethodName>(name: M) {
  const func = methodType(name);
  const decorate = func.annotations.includes('query') ? query : update;
  const azleDecorator = decorate(func.argTypes, func.retTypes[0], { manual: true });
  return <This>(original: (this: This) => void, context: ClassMethodDecoratorContext<This>) => {
    if (context.name !== name)
      throw new Error(`@rawMethod('${name}') decorates ${String(context.name)}`);
    azleDecorator(original as never, context as never);
  };
}

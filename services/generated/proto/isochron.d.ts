// GENERATED — DO NOT EDIT; run npm run gen:proto
// Sources: proto/isochron/telemetry/v1/telemetry.proto
import * as $protobuf from "protobufjs";
import type Long from "long";

/** Namespace isochron. */
export namespace isochron {

    /** Namespace telemetry. */
    namespace telemetry {

        /** Namespace v1. */
        namespace v1 {

            /** NetworkType enum. */
            enum NetworkType {

                /** NETWORK_TYPE_UNSPECIFIED value */
                NETWORK_TYPE_UNSPECIFIED = 0,

                /** NETWORK_TYPE_5G value */
                NETWORK_TYPE_5G = 1,

                /** NETWORK_TYPE_TSN value */
                NETWORK_TYPE_TSN = 2,

                /** NETWORK_TYPE_INDUSTRIAL_ETHERNET value */
                NETWORK_TYPE_INDUSTRIAL_ETHERNET = 3,

                /** NETWORK_TYPE_WIFI6 value */
                NETWORK_TYPE_WIFI6 = 4
            }

            /**
             * Properties of an Identity.
             * @deprecated Use isochron.telemetry.v1.Identity.$Properties instead.
             */
            interface IIdentity extends isochron.telemetry.v1.Identity.$Properties {
            }

            /** Represents an Identity. */
            class Identity {

                /**
                 * Constructs a new Identity.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: isochron.telemetry.v1.Identity.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Identity enterpriseId. */
                enterpriseId: string;

                /** Identity siteId. */
                siteId: string;

                /** Identity networkType. */
                networkType: isochron.telemetry.v1.NetworkType;

                /** Identity segmentId. */
                segmentId: string;

                /** Identity deviceId. */
                deviceId: string;

                /**
                 * Creates a new Identity instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Identity instance
                 */
                static create(properties: isochron.telemetry.v1.Identity.$Shape): isochron.telemetry.v1.Identity & isochron.telemetry.v1.Identity.$Shape;
                static create(properties?: isochron.telemetry.v1.Identity.$Properties): isochron.telemetry.v1.Identity;

                /**
                 * Encodes the specified Identity message. Does not implicitly {@link isochron.telemetry.v1.Identity.verify|verify} messages.
                 * @param message Identity message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: isochron.telemetry.v1.Identity.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified Identity message, length delimited. Does not implicitly {@link isochron.telemetry.v1.Identity.verify|verify} messages.
                 * @param message Identity message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: isochron.telemetry.v1.Identity.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Identity message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {isochron.telemetry.v1.Identity & isochron.telemetry.v1.Identity.$Shape} Identity
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): isochron.telemetry.v1.Identity & isochron.telemetry.v1.Identity.$Shape;

                /**
                 * Decodes an Identity message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {isochron.telemetry.v1.Identity & isochron.telemetry.v1.Identity.$Shape} Identity
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): isochron.telemetry.v1.Identity & isochron.telemetry.v1.Identity.$Shape;

                /**
                 * Verifies an Identity message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an Identity message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Identity
                 */
                static fromObject(object: { [k: string]: any }): isochron.telemetry.v1.Identity;

                /**
                 * Creates a plain object from an Identity message. Also converts values to other types if specified.
                 * @param message Identity
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: isochron.telemetry.v1.Identity, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Identity to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Identity
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Identity {

                /** Properties of an Identity. */
                interface $Properties {

                    /** Identity enterpriseId */
                    enterpriseId?: (string|null);

                    /** Identity siteId */
                    siteId?: (string|null);

                    /** Identity networkType */
                    networkType?: (isochron.telemetry.v1.NetworkType|null);

                    /** Identity segmentId */
                    segmentId?: (string|null);

                    /** Identity deviceId */
                    deviceId?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Identity. */
                type $Shape = isochron.telemetry.v1.Identity.$Properties;
            }

            /**
             * Properties of a FlowSamples.
             * @deprecated Use isochron.telemetry.v1.FlowSamples.$Properties instead.
             */
            interface IFlowSamples extends isochron.telemetry.v1.FlowSamples.$Properties {
            }

            /** Represents a FlowSamples. */
            class FlowSamples {

                /**
                 * Constructs a new FlowSamples.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: isochron.telemetry.v1.FlowSamples.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** FlowSamples flowId. */
                flowId: string;

                /** FlowSamples seqBits. */
                seqBits: number;

                /** FlowSamples baseSendNs. */
                baseSendNs: (number|Long);

                /** FlowSamples baseSeq. */
                baseSeq: number;

                /** FlowSamples seqDelta. */
                seqDelta: (number|Long)[];

                /** FlowSamples sendDeltaNs. */
                sendDeltaNs: (number|Long)[];

                /** FlowSamples delayNs. */
                delayNs: (number|Long)[];

                /** FlowSamples sizeBytes. */
                sizeBytes: number[];

                /** FlowSamples flags. */
                flags: number[];

                /** FlowSamples transferIntervalNs. */
                transferIntervalNs: (number|Long);

                /** FlowSamples maxLatencyNs. */
                maxLatencyNs: (number|Long);

                /** FlowSamples survivalTimeNs. */
                survivalTimeNs: (number|Long);

                /**
                 * Creates a new FlowSamples instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns FlowSamples instance
                 */
                static create(properties: isochron.telemetry.v1.FlowSamples.$Shape): isochron.telemetry.v1.FlowSamples & isochron.telemetry.v1.FlowSamples.$Shape;
                static create(properties?: isochron.telemetry.v1.FlowSamples.$Properties): isochron.telemetry.v1.FlowSamples;

                /**
                 * Encodes the specified FlowSamples message. Does not implicitly {@link isochron.telemetry.v1.FlowSamples.verify|verify} messages.
                 * @param message FlowSamples message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: isochron.telemetry.v1.FlowSamples.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified FlowSamples message, length delimited. Does not implicitly {@link isochron.telemetry.v1.FlowSamples.verify|verify} messages.
                 * @param message FlowSamples message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: isochron.telemetry.v1.FlowSamples.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a FlowSamples message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {isochron.telemetry.v1.FlowSamples & isochron.telemetry.v1.FlowSamples.$Shape} FlowSamples
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): isochron.telemetry.v1.FlowSamples & isochron.telemetry.v1.FlowSamples.$Shape;

                /**
                 * Decodes a FlowSamples message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {isochron.telemetry.v1.FlowSamples & isochron.telemetry.v1.FlowSamples.$Shape} FlowSamples
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): isochron.telemetry.v1.FlowSamples & isochron.telemetry.v1.FlowSamples.$Shape;

                /**
                 * Verifies a FlowSamples message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a FlowSamples message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns FlowSamples
                 */
                static fromObject(object: { [k: string]: any }): isochron.telemetry.v1.FlowSamples;

                /**
                 * Creates a plain object from a FlowSamples message. Also converts values to other types if specified.
                 * @param message FlowSamples
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: isochron.telemetry.v1.FlowSamples, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this FlowSamples to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for FlowSamples
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace FlowSamples {

                /** Properties of a FlowSamples. */
                interface $Properties {

                    /** FlowSamples flowId */
                    flowId?: (string|null);

                    /** FlowSamples seqBits */
                    seqBits?: (number|null);

                    /** FlowSamples baseSendNs */
                    baseSendNs?: (number|Long|null);

                    /** FlowSamples baseSeq */
                    baseSeq?: (number|null);

                    /** FlowSamples seqDelta */
                    seqDelta?: ((number|Long)[]|null);

                    /** FlowSamples sendDeltaNs */
                    sendDeltaNs?: ((number|Long)[]|null);

                    /** FlowSamples delayNs */
                    delayNs?: ((number|Long)[]|null);

                    /** FlowSamples sizeBytes */
                    sizeBytes?: (number[]|null);

                    /** FlowSamples flags */
                    flags?: (number[]|null);

                    /** FlowSamples transferIntervalNs */
                    transferIntervalNs?: (number|Long|null);

                    /** FlowSamples maxLatencyNs */
                    maxLatencyNs?: (number|Long|null);

                    /** FlowSamples survivalTimeNs */
                    survivalTimeNs?: (number|Long|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a FlowSamples. */
                type $Shape = isochron.telemetry.v1.FlowSamples.$Properties;
            }

            /**
             * Properties of a TelemetryBatch.
             * @deprecated Use isochron.telemetry.v1.TelemetryBatch.$Properties instead.
             */
            interface ITelemetryBatch extends isochron.telemetry.v1.TelemetryBatch.$Properties {
            }

            /** Represents a TelemetryBatch. */
            class TelemetryBatch {

                /**
                 * Constructs a new TelemetryBatch.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: isochron.telemetry.v1.TelemetryBatch.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** TelemetryBatch schemaVersion. */
                schemaVersion: number;

                /** TelemetryBatch identity. */
                identity?: (isochron.telemetry.v1.Identity.$Properties|null);

                /** TelemetryBatch flows. */
                flows: isochron.telemetry.v1.FlowSamples.$Properties[];

                /** TelemetryBatch createdNs. */
                createdNs: (number|Long);

                /**
                 * Creates a new TelemetryBatch instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns TelemetryBatch instance
                 */
                static create(properties: isochron.telemetry.v1.TelemetryBatch.$Shape): isochron.telemetry.v1.TelemetryBatch & isochron.telemetry.v1.TelemetryBatch.$Shape;
                static create(properties?: isochron.telemetry.v1.TelemetryBatch.$Properties): isochron.telemetry.v1.TelemetryBatch;

                /**
                 * Encodes the specified TelemetryBatch message. Does not implicitly {@link isochron.telemetry.v1.TelemetryBatch.verify|verify} messages.
                 * @param message TelemetryBatch message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: isochron.telemetry.v1.TelemetryBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Encodes the specified TelemetryBatch message, length delimited. Does not implicitly {@link isochron.telemetry.v1.TelemetryBatch.verify|verify} messages.
                 * @param message TelemetryBatch message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encodeDelimited(message: isochron.telemetry.v1.TelemetryBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a TelemetryBatch message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {isochron.telemetry.v1.TelemetryBatch & isochron.telemetry.v1.TelemetryBatch.$Shape} TelemetryBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): isochron.telemetry.v1.TelemetryBatch & isochron.telemetry.v1.TelemetryBatch.$Shape;

                /**
                 * Decodes a TelemetryBatch message from the specified reader or buffer, length delimited.
                 * @param reader Reader or buffer to decode from
                 * @returns {isochron.telemetry.v1.TelemetryBatch & isochron.telemetry.v1.TelemetryBatch.$Shape} TelemetryBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): isochron.telemetry.v1.TelemetryBatch & isochron.telemetry.v1.TelemetryBatch.$Shape;

                /**
                 * Verifies a TelemetryBatch message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a TelemetryBatch message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns TelemetryBatch
                 */
                static fromObject(object: { [k: string]: any }): isochron.telemetry.v1.TelemetryBatch;

                /**
                 * Creates a plain object from a TelemetryBatch message. Also converts values to other types if specified.
                 * @param message TelemetryBatch
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: isochron.telemetry.v1.TelemetryBatch, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this TelemetryBatch to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for TelemetryBatch
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace TelemetryBatch {

                /** Properties of a TelemetryBatch. */
                interface $Properties {

                    /** TelemetryBatch schemaVersion */
                    schemaVersion?: (number|null);

                    /** TelemetryBatch identity */
                    identity?: (isochron.telemetry.v1.Identity.$Properties|null);

                    /** TelemetryBatch flows */
                    flows?: (isochron.telemetry.v1.FlowSamples.$Properties[]|null);

                    /** TelemetryBatch createdNs */
                    createdNs?: (number|Long|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a TelemetryBatch. */
                type $Shape = isochron.telemetry.v1.TelemetryBatch.$Properties;
            }
        }
    }
}

package dev.workflowhttp.component;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an option no {@code CamelWorkflowHttp<Option>} header may override: it decides where a call may go, whom it
 * trusts or through which proxy, and a message header is data that may come from outside (a queue message, an
 * upstream HTTP request). Only the endpoint URI sets it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface EndpointOnly {}

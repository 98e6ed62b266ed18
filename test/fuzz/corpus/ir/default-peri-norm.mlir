module attributes {nf.model = "peri-norm"} {
  nf.param @embed.tokens : tensor<256x128xf32> init <normal(2.000000e-02)> group <embedding> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn.q_norm.scale : tensor<32xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn.k_norm.scale : tensor<32xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.attn_out_norm.scale : tensor<128xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_out_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.ffn_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn.w_gate : tensor<344x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.ffn.w_up : tensor<344x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.ffn.w_down : tensor<128x344xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.0.ffn_out_norm.scale : tensor<128xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn_out_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn.q_norm.scale : tensor<32xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn.k_norm.scale : tensor<32xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.attn_out_norm.scale : tensor<128xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn_out_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.ffn_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn.w_gate : tensor<344x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.ffn.w_up : tensor<344x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.ffn.w_down : tensor<128x344xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.1.ffn_out_norm.scale : tensor<128xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn_out_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.attn_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.attn.q_norm.scale : tensor<32xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.attn.k_norm.scale : tensor<32xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.attn_out_norm.scale : tensor<128xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.attn_out_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.ffn_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.ffn.w_gate : tensor<344x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.ffn.w_up : tensor<344x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.ffn.w_down : tensor<128x344xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.2.ffn_out_norm.scale : tensor<128xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.ffn_out_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.attn_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.attn.q_norm.scale : tensor<32xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.attn.k_norm.scale : tensor<32xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.attn_out_norm.scale : tensor<128xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.attn_out_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.ffn_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.ffn.w_gate : tensor<344x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.ffn.w_up : tensor<344x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.ffn.w_down : tensor<128x344xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
  nf.param @layers.3.ffn_out_norm.scale : tensor<128xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.ffn_out_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @final_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @final_norm.bias : tensor<128xf32> init <zeros> group <bias> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @lm_head.weight : tensor<256x128xf32> init <normal(2.000000e-02)> group <head> weight_decay(1.000000e-01) optimizer <adamw>
  func.func @forward(%arg0: tensor<16x128xi32> {nf.name = "tokens"}, %arg1: tensor<16x128xi32> {nf.name = "targets"}) -> tensor<f32> {
    %0 = nf.get_param @embed.tokens : tensor<256x128xf32>
    %1 = nf.embedding %arg0, %0 : tensor<16x128xi32>, tensor<256x128xf32> -> tensor<16x128x128xf32>
    %2 = nf.layernorm %1 eps(1.000000e-05) : tensor<16x128x128xf32>
    %3 = nf.get_param @layers.0.attn_norm.scale : tensor<128xf32>
    %4 = nf.scale %2, %3 : tensor<16x128x128xf32>, tensor<128xf32>
    %5 = nf.get_param @layers.0.attn_norm.bias : tensor<128xf32>
    %6 = nf.bias_add %4, %5 : tensor<16x128x128xf32>, tensor<128xf32>
    %7 = nf.get_param @layers.0.attn.wq : tensor<128x128xf32>
    %8 = nf.linear %6, %7 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %9 = nf.split_heads %8 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %10 = nf.get_param @layers.0.attn.wk : tensor<128x128xf32>
    %11 = nf.linear %6, %10 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %12 = nf.split_heads %11 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %13 = nf.get_param @layers.0.attn.wv : tensor<128x128xf32>
    %14 = nf.linear %6, %13 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %15 = nf.split_heads %14 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %16 = nf.rmsnorm %9 eps(9.9999999999999995E-7) : tensor<16x128x4x32xf32>
    %17 = nf.get_param @layers.0.attn.q_norm.scale : tensor<32xf32>
    %18 = nf.scale %16, %17 : tensor<16x128x4x32xf32>, tensor<32xf32>
    %19 = nf.rmsnorm %12 eps(9.9999999999999995E-7) : tensor<16x128x4x32xf32>
    %20 = nf.get_param @layers.0.attn.k_norm.scale : tensor<32xf32>
    %21 = nf.scale %19, %20 : tensor<16x128x4x32xf32>, tensor<32xf32>
    %22 = nf.attention %18, %21, %15 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %23 = nf.merge_heads %22 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %24 = nf.get_param @layers.0.attn.wo : tensor<128x128xf32>
    %25 = nf.linear %23, %24 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %26 = nf.layernorm %25 eps(1.000000e-05) : tensor<16x128x128xf32>
    %27 = nf.get_param @layers.0.attn_out_norm.scale : tensor<128xf32>
    %28 = nf.scale %26, %27 : tensor<16x128x128xf32>, tensor<128xf32>
    %29 = nf.get_param @layers.0.attn_out_norm.bias : tensor<128xf32>
    %30 = nf.bias_add %28, %29 : tensor<16x128x128xf32>, tensor<128xf32>
    %31 = nf.add %1, %30 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %32 = nf.layernorm %31 eps(1.000000e-05) : tensor<16x128x128xf32>
    %33 = nf.get_param @layers.0.ffn_norm.scale : tensor<128xf32>
    %34 = nf.scale %32, %33 : tensor<16x128x128xf32>, tensor<128xf32>
    %35 = nf.get_param @layers.0.ffn_norm.bias : tensor<128xf32>
    %36 = nf.bias_add %34, %35 : tensor<16x128x128xf32>, tensor<128xf32>
    %37 = nf.get_param @layers.0.ffn.w_gate : tensor<344x128xf32>
    %38 = nf.linear %36, %37 : tensor<16x128x128xf32>, tensor<344x128xf32> -> tensor<16x128x344xf32>
    %39 = nf.get_param @layers.0.ffn.w_up : tensor<344x128xf32>
    %40 = nf.linear %36, %39 : tensor<16x128x128xf32>, tensor<344x128xf32> -> tensor<16x128x344xf32>
    %41 = nf.silu %38 : tensor<16x128x344xf32>
    %42 = nf.mul %41, %40 : tensor<16x128x344xf32>, tensor<16x128x344xf32>
    %43 = nf.get_param @layers.0.ffn.w_down : tensor<128x344xf32>
    %44 = nf.linear %42, %43 : tensor<16x128x344xf32>, tensor<128x344xf32> -> tensor<16x128x128xf32>
    %45 = nf.layernorm %44 eps(1.000000e-05) : tensor<16x128x128xf32>
    %46 = nf.get_param @layers.0.ffn_out_norm.scale : tensor<128xf32>
    %47 = nf.scale %45, %46 : tensor<16x128x128xf32>, tensor<128xf32>
    %48 = nf.get_param @layers.0.ffn_out_norm.bias : tensor<128xf32>
    %49 = nf.bias_add %47, %48 : tensor<16x128x128xf32>, tensor<128xf32>
    %50 = nf.add %31, %49 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %51 = nf.layernorm %50 eps(1.000000e-05) : tensor<16x128x128xf32>
    %52 = nf.get_param @layers.1.attn_norm.scale : tensor<128xf32>
    %53 = nf.scale %51, %52 : tensor<16x128x128xf32>, tensor<128xf32>
    %54 = nf.get_param @layers.1.attn_norm.bias : tensor<128xf32>
    %55 = nf.bias_add %53, %54 : tensor<16x128x128xf32>, tensor<128xf32>
    %56 = nf.get_param @layers.1.attn.wq : tensor<128x128xf32>
    %57 = nf.linear %55, %56 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %58 = nf.split_heads %57 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %59 = nf.get_param @layers.1.attn.wk : tensor<128x128xf32>
    %60 = nf.linear %55, %59 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %61 = nf.split_heads %60 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %62 = nf.get_param @layers.1.attn.wv : tensor<128x128xf32>
    %63 = nf.linear %55, %62 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %64 = nf.split_heads %63 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %65 = nf.rmsnorm %58 eps(9.9999999999999995E-7) : tensor<16x128x4x32xf32>
    %66 = nf.get_param @layers.1.attn.q_norm.scale : tensor<32xf32>
    %67 = nf.scale %65, %66 : tensor<16x128x4x32xf32>, tensor<32xf32>
    %68 = nf.rmsnorm %61 eps(9.9999999999999995E-7) : tensor<16x128x4x32xf32>
    %69 = nf.get_param @layers.1.attn.k_norm.scale : tensor<32xf32>
    %70 = nf.scale %68, %69 : tensor<16x128x4x32xf32>, tensor<32xf32>
    %71 = nf.attention %67, %70, %64 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %72 = nf.merge_heads %71 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %73 = nf.get_param @layers.1.attn.wo : tensor<128x128xf32>
    %74 = nf.linear %72, %73 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %75 = nf.layernorm %74 eps(1.000000e-05) : tensor<16x128x128xf32>
    %76 = nf.get_param @layers.1.attn_out_norm.scale : tensor<128xf32>
    %77 = nf.scale %75, %76 : tensor<16x128x128xf32>, tensor<128xf32>
    %78 = nf.get_param @layers.1.attn_out_norm.bias : tensor<128xf32>
    %79 = nf.bias_add %77, %78 : tensor<16x128x128xf32>, tensor<128xf32>
    %80 = nf.add %50, %79 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %81 = nf.layernorm %80 eps(1.000000e-05) : tensor<16x128x128xf32>
    %82 = nf.get_param @layers.1.ffn_norm.scale : tensor<128xf32>
    %83 = nf.scale %81, %82 : tensor<16x128x128xf32>, tensor<128xf32>
    %84 = nf.get_param @layers.1.ffn_norm.bias : tensor<128xf32>
    %85 = nf.bias_add %83, %84 : tensor<16x128x128xf32>, tensor<128xf32>
    %86 = nf.get_param @layers.1.ffn.w_gate : tensor<344x128xf32>
    %87 = nf.linear %85, %86 : tensor<16x128x128xf32>, tensor<344x128xf32> -> tensor<16x128x344xf32>
    %88 = nf.get_param @layers.1.ffn.w_up : tensor<344x128xf32>
    %89 = nf.linear %85, %88 : tensor<16x128x128xf32>, tensor<344x128xf32> -> tensor<16x128x344xf32>
    %90 = nf.silu %87 : tensor<16x128x344xf32>
    %91 = nf.mul %90, %89 : tensor<16x128x344xf32>, tensor<16x128x344xf32>
    %92 = nf.get_param @layers.1.ffn.w_down : tensor<128x344xf32>
    %93 = nf.linear %91, %92 : tensor<16x128x344xf32>, tensor<128x344xf32> -> tensor<16x128x128xf32>
    %94 = nf.layernorm %93 eps(1.000000e-05) : tensor<16x128x128xf32>
    %95 = nf.get_param @layers.1.ffn_out_norm.scale : tensor<128xf32>
    %96 = nf.scale %94, %95 : tensor<16x128x128xf32>, tensor<128xf32>
    %97 = nf.get_param @layers.1.ffn_out_norm.bias : tensor<128xf32>
    %98 = nf.bias_add %96, %97 : tensor<16x128x128xf32>, tensor<128xf32>
    %99 = nf.add %80, %98 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %100 = nf.layernorm %99 eps(1.000000e-05) : tensor<16x128x128xf32>
    %101 = nf.get_param @layers.2.attn_norm.scale : tensor<128xf32>
    %102 = nf.scale %100, %101 : tensor<16x128x128xf32>, tensor<128xf32>
    %103 = nf.get_param @layers.2.attn_norm.bias : tensor<128xf32>
    %104 = nf.bias_add %102, %103 : tensor<16x128x128xf32>, tensor<128xf32>
    %105 = nf.get_param @layers.2.attn.wq : tensor<128x128xf32>
    %106 = nf.linear %104, %105 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %107 = nf.split_heads %106 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %108 = nf.get_param @layers.2.attn.wk : tensor<128x128xf32>
    %109 = nf.linear %104, %108 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %110 = nf.split_heads %109 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %111 = nf.get_param @layers.2.attn.wv : tensor<128x128xf32>
    %112 = nf.linear %104, %111 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %113 = nf.split_heads %112 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %114 = nf.rmsnorm %107 eps(9.9999999999999995E-7) : tensor<16x128x4x32xf32>
    %115 = nf.get_param @layers.2.attn.q_norm.scale : tensor<32xf32>
    %116 = nf.scale %114, %115 : tensor<16x128x4x32xf32>, tensor<32xf32>
    %117 = nf.rmsnorm %110 eps(9.9999999999999995E-7) : tensor<16x128x4x32xf32>
    %118 = nf.get_param @layers.2.attn.k_norm.scale : tensor<32xf32>
    %119 = nf.scale %117, %118 : tensor<16x128x4x32xf32>, tensor<32xf32>
    %120 = nf.attention %116, %119, %113 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %121 = nf.merge_heads %120 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %122 = nf.get_param @layers.2.attn.wo : tensor<128x128xf32>
    %123 = nf.linear %121, %122 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %124 = nf.layernorm %123 eps(1.000000e-05) : tensor<16x128x128xf32>
    %125 = nf.get_param @layers.2.attn_out_norm.scale : tensor<128xf32>
    %126 = nf.scale %124, %125 : tensor<16x128x128xf32>, tensor<128xf32>
    %127 = nf.get_param @layers.2.attn_out_norm.bias : tensor<128xf32>
    %128 = nf.bias_add %126, %127 : tensor<16x128x128xf32>, tensor<128xf32>
    %129 = nf.add %99, %128 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %130 = nf.layernorm %129 eps(1.000000e-05) : tensor<16x128x128xf32>
    %131 = nf.get_param @layers.2.ffn_norm.scale : tensor<128xf32>
    %132 = nf.scale %130, %131 : tensor<16x128x128xf32>, tensor<128xf32>
    %133 = nf.get_param @layers.2.ffn_norm.bias : tensor<128xf32>
    %134 = nf.bias_add %132, %133 : tensor<16x128x128xf32>, tensor<128xf32>
    %135 = nf.get_param @layers.2.ffn.w_gate : tensor<344x128xf32>
    %136 = nf.linear %134, %135 : tensor<16x128x128xf32>, tensor<344x128xf32> -> tensor<16x128x344xf32>
    %137 = nf.get_param @layers.2.ffn.w_up : tensor<344x128xf32>
    %138 = nf.linear %134, %137 : tensor<16x128x128xf32>, tensor<344x128xf32> -> tensor<16x128x344xf32>
    %139 = nf.silu %136 : tensor<16x128x344xf32>
    %140 = nf.mul %139, %138 : tensor<16x128x344xf32>, tensor<16x128x344xf32>
    %141 = nf.get_param @layers.2.ffn.w_down : tensor<128x344xf32>
    %142 = nf.linear %140, %141 : tensor<16x128x344xf32>, tensor<128x344xf32> -> tensor<16x128x128xf32>
    %143 = nf.layernorm %142 eps(1.000000e-05) : tensor<16x128x128xf32>
    %144 = nf.get_param @layers.2.ffn_out_norm.scale : tensor<128xf32>
    %145 = nf.scale %143, %144 : tensor<16x128x128xf32>, tensor<128xf32>
    %146 = nf.get_param @layers.2.ffn_out_norm.bias : tensor<128xf32>
    %147 = nf.bias_add %145, %146 : tensor<16x128x128xf32>, tensor<128xf32>
    %148 = nf.add %129, %147 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %149 = nf.layernorm %148 eps(1.000000e-05) : tensor<16x128x128xf32>
    %150 = nf.get_param @layers.3.attn_norm.scale : tensor<128xf32>
    %151 = nf.scale %149, %150 : tensor<16x128x128xf32>, tensor<128xf32>
    %152 = nf.get_param @layers.3.attn_norm.bias : tensor<128xf32>
    %153 = nf.bias_add %151, %152 : tensor<16x128x128xf32>, tensor<128xf32>
    %154 = nf.get_param @layers.3.attn.wq : tensor<128x128xf32>
    %155 = nf.linear %153, %154 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %156 = nf.split_heads %155 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %157 = nf.get_param @layers.3.attn.wk : tensor<128x128xf32>
    %158 = nf.linear %153, %157 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %159 = nf.split_heads %158 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %160 = nf.get_param @layers.3.attn.wv : tensor<128x128xf32>
    %161 = nf.linear %153, %160 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %162 = nf.split_heads %161 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %163 = nf.rmsnorm %156 eps(9.9999999999999995E-7) : tensor<16x128x4x32xf32>
    %164 = nf.get_param @layers.3.attn.q_norm.scale : tensor<32xf32>
    %165 = nf.scale %163, %164 : tensor<16x128x4x32xf32>, tensor<32xf32>
    %166 = nf.rmsnorm %159 eps(9.9999999999999995E-7) : tensor<16x128x4x32xf32>
    %167 = nf.get_param @layers.3.attn.k_norm.scale : tensor<32xf32>
    %168 = nf.scale %166, %167 : tensor<16x128x4x32xf32>, tensor<32xf32>
    %169 = nf.attention %165, %168, %162 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %170 = nf.merge_heads %169 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %171 = nf.get_param @layers.3.attn.wo : tensor<128x128xf32>
    %172 = nf.linear %170, %171 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %173 = nf.layernorm %172 eps(1.000000e-05) : tensor<16x128x128xf32>
    %174 = nf.get_param @layers.3.attn_out_norm.scale : tensor<128xf32>
    %175 = nf.scale %173, %174 : tensor<16x128x128xf32>, tensor<128xf32>
    %176 = nf.get_param @layers.3.attn_out_norm.bias : tensor<128xf32>
    %177 = nf.bias_add %175, %176 : tensor<16x128x128xf32>, tensor<128xf32>
    %178 = nf.add %148, %177 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %179 = nf.layernorm %178 eps(1.000000e-05) : tensor<16x128x128xf32>
    %180 = nf.get_param @layers.3.ffn_norm.scale : tensor<128xf32>
    %181 = nf.scale %179, %180 : tensor<16x128x128xf32>, tensor<128xf32>
    %182 = nf.get_param @layers.3.ffn_norm.bias : tensor<128xf32>
    %183 = nf.bias_add %181, %182 : tensor<16x128x128xf32>, tensor<128xf32>
    %184 = nf.get_param @layers.3.ffn.w_gate : tensor<344x128xf32>
    %185 = nf.linear %183, %184 : tensor<16x128x128xf32>, tensor<344x128xf32> -> tensor<16x128x344xf32>
    %186 = nf.get_param @layers.3.ffn.w_up : tensor<344x128xf32>
    %187 = nf.linear %183, %186 : tensor<16x128x128xf32>, tensor<344x128xf32> -> tensor<16x128x344xf32>
    %188 = nf.silu %185 : tensor<16x128x344xf32>
    %189 = nf.mul %188, %187 : tensor<16x128x344xf32>, tensor<16x128x344xf32>
    %190 = nf.get_param @layers.3.ffn.w_down : tensor<128x344xf32>
    %191 = nf.linear %189, %190 : tensor<16x128x344xf32>, tensor<128x344xf32> -> tensor<16x128x128xf32>
    %192 = nf.layernorm %191 eps(1.000000e-05) : tensor<16x128x128xf32>
    %193 = nf.get_param @layers.3.ffn_out_norm.scale : tensor<128xf32>
    %194 = nf.scale %192, %193 : tensor<16x128x128xf32>, tensor<128xf32>
    %195 = nf.get_param @layers.3.ffn_out_norm.bias : tensor<128xf32>
    %196 = nf.bias_add %194, %195 : tensor<16x128x128xf32>, tensor<128xf32>
    %197 = nf.add %178, %196 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %198 = nf.layernorm %197 eps(1.000000e-05) : tensor<16x128x128xf32>
    %199 = nf.get_param @final_norm.scale : tensor<128xf32>
    %200 = nf.scale %198, %199 : tensor<16x128x128xf32>, tensor<128xf32>
    %201 = nf.get_param @final_norm.bias : tensor<128xf32>
    %202 = nf.bias_add %200, %201 : tensor<16x128x128xf32>, tensor<128xf32>
    %203 = nf.get_param @lm_head.weight : tensor<256x128xf32>
    %204 = nf.linear %202, %203 : tensor<16x128x128xf32>, tensor<256x128xf32> -> tensor<16x128x256xf32>
    %205 = nf.cross_entropy %204, %arg1 : tensor<16x128x256xf32>, tensor<16x128xi32> -> tensor<f32>
    return %205 : tensor<f32>
  }
}

